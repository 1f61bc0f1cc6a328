package dev.refit.pipeline.rebuild;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.nio.file.Path;

/**
 * A layer written to the work dir and not yet pushed. Immutable.
 *
 * @param file the gzip tar; null when the target registry already holds this layer (a layer
 *     {@link LayerMemo} knew: nothing was written, nothing is pushed)
 * @param descriptor media type {@code tar+gzip}, digest and size of the gzip bytes
 * @param diffId the sha256 of the uncompressed tar (OCI image-spec config.md "rootfs")
 */
public record NewLayer(Path file, Descriptor descriptor, Digest diffId) {}
