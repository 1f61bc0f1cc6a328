package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Run in a JVM with a tiny heap by {@link FsStoreLargeBlobTest}: streams a blob many times
 * larger than the heap through every path that reads or writes blob bytes (streaming sha256
 * commit, sha512 commit that re-hashes from disk, resume after a restart, verifier, GC). Any
 * path that held the blob in memory dies with OutOfMemoryError and a non-zero exit.
 */
public final class LargeBlobProbe {
  private LargeBlobProbe() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    int mib = Integer.parseInt(args[1]);
    FsStore store = FsStore.open(root, StoreOptions.defaults());

    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    BlobWriter first = store.create();
    writeChunks(first, sha256, 0, mib * 8);
    Digest d256 = Digest.of(Digest.Algorithm.SHA256, sha256.digest());
    first.commit(d256);

    MessageDigest sha512 = Digest.Algorithm.SHA512.newHasher();
    BlobWriter second = store.create();
    writeChunks(second, sha512, 1_000_000, mib * 4);
    // "Restart": a new store instance rebuilds the writer by re-hashing the data file.
    BlobWriter resumed =
        FsStore.open(root, StoreOptions.defaults()).resume(second.id()).orElseThrow();
    writeChunks(resumed, sha512, 1_000_000 + mib * 4, mib * 4);
    Digest d512 = Digest.of(Digest.Algorithm.SHA512, sha512.digest());
    resumed.commit(d512);

    VerifyReport report = new StoreVerifier(store).verify();
    GcReport gc = new GarbageCollector(store).run(true);
    System.out.println(
        "ok " + d256 + " " + d512 + " verified=" + report.blobsChecked() + " corrupt="
            + report.corrupt().size() + " gcCandidates=" + gc.removedBlobs().size());
  }

  /** Writes {@code count} 128 KiB chunks whose content depends on their index. */
  private static void writeChunks(BlobWriter w, MessageDigest md, int firstIndex, int count) {
    byte[] chunk = new byte[128 * 1024];
    for (int i = firstIndex; i < firstIndex + count; i++) {
      for (int j = 0; j < chunk.length; j += 4) {
        int v = i * 31 + j;
        chunk[j] = (byte) v;
        chunk[j + 1] = (byte) (v >>> 8);
        chunk[j + 2] = (byte) (v >>> 16);
        chunk[j + 3] = (byte) i;
      }
      md.update(chunk);
      w.write(ByteBuffer.wrap(chunk));
    }
  }
}
