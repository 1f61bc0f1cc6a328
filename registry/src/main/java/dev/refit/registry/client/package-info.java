/**
 * An asynchronous OCI distribution client on the Vert.x HTTP client.
 *
 * <p>{@link dev.refit.registry.client.RegistryClient} is the entry point, one per registry host.
 * Underneath, {@code RegistryHttp} applies authentication ({@code Authenticator}: bearer tokens
 * cached per scope, HTTP Basic, credentials from {@code ~/.docker/config.json}), bounded jittered
 * retries ({@link dev.refit.registry.client.RetryPolicy}) and redirects that drop credentials when
 * they leave the registry's origin. One class per endpoint family: {@code ManifestClient},
 * {@code BlobPuller} (verified, resumable downloads) and {@code BlobPusher} (mount, monolithic and
 * chunked uploads). Bytes always stream; manifests are the only bodies held in memory.
 */
package dev.refit.registry.client;
