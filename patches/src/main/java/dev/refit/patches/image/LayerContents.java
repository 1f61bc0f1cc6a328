package dev.refit.patches.image;

import dev.refit.patches.inflate.GzipReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;

/**
 * Copies regular files out of a layer blob at the offsets its {@link LayerIndex} records: a plain
 * tar by position, a gzip tar by decoding from the nearest checkpoint before each file (files in
 * one span share a decoder). Blocking; stateless.
 */
final class LayerContents {
  /** What one extraction cost: decoders started and bytes they inflated. */
  record Cost(int inflations, long bytesInflated) {}

  /** A file to copy out, and where to. */
  record Target(LayerIndex.Entry entry, Path file) {}

  private LayerContents() {}

  static Cost extract(Path blob, LayerIndex index, List<Target> targets, String layerName)
      throws IOException {
    List<Target> ordered = targets.stream()
        .sorted(Comparator.comparingLong(t -> t.entry().dataOffset())).toList();
    for (Target t : ordered) {
      if (t.entry().dataOffset() < 0) {
        throw new ImageReadException(t.entry().file().path() + " in layer " + layerName
            + " is a sparse file, which refit cannot read");
      }
    }
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ)) {
      if (index.compression() == LayerIndex.Compression.PLAIN) {
        for (Target t : ordered) {
          copyPlain(ch, t);
        }
        return new Cost(0, 0);
      }
      return copyInflated(ch, index, ordered);
    }
  }

  private static void copyPlain(FileChannel ch, Target t) throws IOException {
    long offset = t.entry().dataOffset();
    long size = t.entry().file().size();
    try (FileChannel out = FileChannel.open(t.file(), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < size; ) {
        long n = ch.transferTo(offset + done, size - done, out);
        if (n <= 0) {
          throw new EOFException("layer blob ends inside " + t.entry().file().path());
        }
        done += n;
      }
    }
  }

  private static Cost copyInflated(FileChannel ch, LayerIndex index, List<Target> ordered)
      throws IOException {
    int inflations = 0;
    long inflated = 0;
    GzipReader reader = null;
    long readerStart = 0;
    for (Target t : ordered) {
      long offset = t.entry().dataOffset();
      LayerIndex.Checkpoint cp = index.checkpointBefore(offset);
      long cpOffset = cp == null ? 0 : cp.outOffset();
      if (reader == null || reader.position() > offset || cpOffset > reader.position()) {
        if (reader != null) {
          inflated += reader.decoded() - readerStart;
        }
        reader = open(ch, cp);
        readerStart = cpOffset;
        inflations++;
      }
      reader.skipNBytes(offset - reader.position());
      try (OutputStream out = Files.newOutputStream(t.file())) {
        copy(reader, out, t.entry().file().size(), t.entry().file().path());
      }
    }
    if (reader != null) {
      inflated += reader.decoded() - readerStart;
    }
    return new Cost(inflations, inflated);
  }

  private static GzipReader open(FileChannel ch, LayerIndex.Checkpoint cp) throws IOException {
    if (cp == null) {
      return GzipReader.open(Channels.newInputStream(ch.position(0)), (b, o, r) -> { });
    }
    return GzipReader.resume(Channels.newInputStream(ch.position(cp.bitOffset() >>> 3)),
        cp.bitOffset(), cp.outOffset(), cp.window());
  }

  private static void copy(InputStream in, OutputStream out, long size, String path)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("layer ends inside " + path);
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }
}
