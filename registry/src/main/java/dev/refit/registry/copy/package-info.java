/**
 * Copying images between any {@link dev.refit.registry.copy.ImageSource} and any
 * {@link dev.refit.registry.copy.ImageSink}: registries, the local store and OCI layouts.
 *
 * <p>{@link dev.refit.registry.copy.ImageCopier} walks an image or index, moves each blob once (in
 * parallel, mounting when it can), then writes manifests children-first with their exact bytes, so
 * every digest survives the copy.
 */
package dev.refit.registry.copy;
