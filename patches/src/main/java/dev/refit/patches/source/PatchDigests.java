package dev.refit.patches.source;

import dev.refit.error.Causes;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The sha256 refit records for a patch ({@code FetchedPatch.sha256}, the {@code dev.refit.patches}
 * label): of a patch file's bytes, and of an install/ tree's sorted "path sha256" listing.
 * Stateless; blocking.
 */
public final class PatchDigests {
  private PatchDigests() {}

  /** The sha256 of a patch file, streamed. */
  public static Digest file(Path file) {
    try {
      return HashingOutputStream.hash(file, Digest.Algorithm.SHA256);
    } catch (NoSuchFileException e) {
      throw new PatchSourceException("patch file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new PatchSourceException("cannot read patch file " + file + ": " + Causes.describe(e), e);
    }
  }

  /** The sha256 of an install/ tree: over its regular files' sorted "path sha256" lines. */
  public static Digest tree(Path dir) {
    HashingOutputStream lines = HashingOutputStream.discarding(Digest.Algorithm.SHA256);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        lines.write((rel + " " + file(p).hex() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new PatchSourceException("cannot read tree " + dir + ": " + Causes.describe(e), e);
    }
    return lines.digest();
  }
}
