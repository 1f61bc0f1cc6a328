package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;

/**
 * A committed, verified blob: its digest, size and the file holding its bytes. The file is
 * immutable once visible, so callers may stream it (e.g. with sendFile) without further locking.
 */
public record BlobInfo(Digest digest, long size, Path path) {}
