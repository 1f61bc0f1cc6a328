package dev.refit.pipeline.bundle;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * One blob entry of a bundle as it streams past: hashes and counts what is read and, at the end
 * of the entry, throws {@link CorruptBlobException} when the bytes are not the descriptor's, so
 * whoever copies it learns before committing anything. Never closes the tar under it. Blocking;
 * one thread.
 */
final class VerifyingInput extends InputStream {
  private final InputStream entry;
  private final Descriptor blob;
  private final String name;
  private final MessageDigest hasher;
  private long count;
  private boolean done;

  VerifyingInput(InputStream entry, Descriptor blob, String name) {
    this.entry = entry;
    this.blob = blob;
    this.name = name;
    this.hasher = blob.digest().algorithm().newHasher();
  }

  /** Thrown at the end of an entry whose bytes do not hash to its digest or have another size. */
  static final class CorruptBlobException extends IOException {
    CorruptBlobException(String message) {
      super(message);
    }
  }

  @Override
  public int read() throws IOException {
    int b = done ? -1 : entry.read();
    if (ended(b)) {
      return -1;
    }
    hasher.update((byte) b);
    count++;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = done ? -1 : entry.read(b, off, len);
    if (ended(n)) {
      return -1;
    }
    hasher.update(b, off, n);
    count += n;
    return n;
  }

  /** At the entry's end (a negative read), checks the bytes once. */
  private boolean ended(int read) throws CorruptBlobException {
    if (read >= 0) {
      return false;
    }
    if (!done) {
      done = true;
      check();
    }
    return true;
  }

  private void check() throws CorruptBlobException {
    Digest actual = Digest.of(blob.digest().algorithm(), hasher.digest());
    if (count != blob.size() || !actual.equals(blob.digest())) {
      throw new CorruptBlobException(name + " is corrupt: " + count + " bytes hashing to " + actual
          + ", expected " + blob.size() + " bytes of " + blob.digest());
    }
  }

  @Override
  public void close() {
    // the tar stream stays open for the next entry
  }
}
