package dev.refit.registry.copy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * A blob's bytes as a source offers them: a file (which a sink may read more than once, e.g. to
 * retry or chunk an upload) or a one-shot stream. Immutable (a stream is consumed once).
 */
public sealed interface BlobPayload {

  /** The bytes as a paused stream; a file is opened here and closes itself at its end. */
  Future<ReadStream<Buffer>> open(Vertx vertx);

  /** A committed, immutable file, e.g. in a store or an OCI layout. */
  record FromFile(Path file) implements BlobPayload {
    @Override
    public Future<ReadStream<Buffer>> open(Vertx vertx) {
      return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
          .map(f -> f.pause());
    }
  }

  /** A paused stream, e.g. an HTTP response body; unverified until the sink checks the digest. */
  record FromStream(ReadStream<Buffer> stream) implements BlobPayload {
    @Override
    public Future<ReadStream<Buffer>> open(Vertx vertx) {
      return Future.succeededFuture(stream);
    }
  }
}
