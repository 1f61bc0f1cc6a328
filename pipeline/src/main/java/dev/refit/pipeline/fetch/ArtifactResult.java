package dev.refit.pipeline.fetch;

import dev.refit.registry.oci.Digest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The outcome of fetching one file artifact. Immutable.
 *
 * @param digest the file's sha256 (from the cache index when it was not re-read)
 * @param lastModified the server's Last-Modified (UTC), also the file's mtime; null when unknown
 * @param bytes bytes downloaded in this run (0 when cached)
 */
public record ArtifactResult(
    URI url, Path target, FetchAction action, Digest digest, Instant lastModified, long bytes) {}
