package dev.refit.registry.copy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * A blob's bytes as a source offers them: a file (which a sink may read more than once, e.g. to
 * retry or chunk an upload) or a one-shot stream. Immutable (a stream is consumed once).
 */
public sealed interface BlobPayload {

  /** A committed, immutable file, e.g. in a store or an OCI layout. */
  record FromFile(Path file) implements BlobPayload {}

  /** A paused stream, e.g. an HTTP response body; unverified until the sink checks the digest. */
  record FromStream(ReadStream<Buffer> stream) implements BlobPayload {}
}
