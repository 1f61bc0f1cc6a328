package dev.refit.registry.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * What a request sends. Buffers and file ranges can be sent again on a retry; a stream only once.
 * Immutable (a stream body is consumed by its single send).
 */
sealed interface RequestBody {

  long length();

  boolean replayable();

  /** A small in-memory body (manifests, token requests). */
  record Bytes(Buffer buffer) implements RequestBody {
    public long length() {
      return buffer.length();
    }

    public boolean replayable() {
      return true;
    }
  }

  /** {@code length} bytes of {@code file} from {@code offset}; re-opened on every attempt. */
  record FileRange(Path file, long offset, long length) implements RequestBody {
    public boolean replayable() {
      return true;
    }

    /** Opens the range as a paused stream; the caller closes it (AsyncFile closes at end). */
    Future<AsyncFile> open(Vertx vertx) {
      return vertx.fileSystem()
          .open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
          .map(f -> {
            f.pause();
            return f.setReadPos(offset).setReadLength(length);
          });
    }
  }

  /** A one-shot stream of exactly {@code length} bytes; a failed send cannot be retried. */
  record Stream(ReadStream<Buffer> stream, long length) implements RequestBody {
    public boolean replayable() {
      return false;
    }
  }
}
