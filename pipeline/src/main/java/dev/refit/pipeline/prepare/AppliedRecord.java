package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How prepare patched one base: per patch, the file its bytes are in, its sha256 and where it
 * was laid in the image, with the options it was applied with, so {@code refit verify} can
 * re-apply an {@code :apex} image's patches from the cache alone (its labels name the base and
 * the patches' sha256, not the settings). Kept as {@code <cache>/applied/v1/<key>.json}, the key
 * a sha256 over the base digest and the patches' sha256 in order; a patch file is copied to
 * {@code <cache>/patches/files/<hex>.patch}, a Gerrit download is already under
 * {@code <cache>/patches}, and an install/ tree is named where it lies. Immutable; the file
 * methods are blocking.
 *
 * @param base the base manifest digest
 * @param patches in the order they were applied
 */
public record AppliedRecord(String base, Options options, List<Patch> patches) {
  static final String DIR = "applied/v1";
  static final String FILES = "patches/files";
  static final String TREE = "tree";
  static final String PATCH = "patch";

  /** The {@link PatchOptions} the patches were applied with. */
  public record Options(int stripLevel, int fuzz, List<String> dropPaths, long maxPatchBytes) {
    static Options of(PatchOptions o) {
      return new Options(o.stripLevel(), o.fuzz(), o.dropPaths(), o.maxPatchBytes());
    }

    public PatchOptions patchOptions() {
      return new PatchOptions(stripLevel, fuzz, dropPaths, maxPatchBytes);
    }
  }

  /**
   * One applied patch.
   *
   * @param kind {@code patch} (a Gerrit change or a patch file) or {@code tree}
   * @param file relative to the cache directory when under it, else absolute
   * @param targets where it was applied in the image, in order (usually one)
   */
  public record Patch(String id, String sha256, String kind, String file, List<String> targets) {
    public Patch {
      targets = List.copyOf(targets);
    }

    public boolean tree() {
      return TREE.equals(kind);
    }

    /** The patch file or tree directory. */
    public Path path(Path cacheDir) {
      return cacheDir.resolve(file);
    }
  }

  public AppliedRecord {
    patches = List.copyOf(patches);
  }

  /** The record file of a base and its patches' sha256, in order. */
  public static Path file(Path cacheDir, Digest base, List<Digest> patches) {
    StringBuilder facts = new StringBuilder("refit-applied/1\n").append(base).append('\n');
    patches.forEach(p -> facts.append(p).append('\n'));
    String key = Digest.sha256(facts.toString().getBytes(StandardCharsets.UTF_8)).hex();
    return cacheDir.resolve(DIR).resolve(key + ".json");
  }

  /** The record for a base and its patches, if prepare wrote one. Blocking. */
  public static Optional<AppliedRecord> load(Path cacheDir, Digest base, List<Digest> patches) {
    Path file = file(cacheDir, base, patches);
    try {
      return Optional.of(Json.mapper().readValue(Files.readAllBytes(file), AppliedRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + Causes.describe(e), e);
    }
  }

  /** Writes this record (temp file, then atomic rename). Blocking. */
  void save(Path cacheDir) {
    List<Digest> shas = patches.stream().map(p -> Digest.parse(p.sha256())).toList();
    Path file = file(cacheDir, Digest.parse(base), shas);
    try {
      AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + Causes.describe(e), e);
    }
  }

  /** How {@code file} is named in a record: relative to the cache directory when under it. */
  static String name(Path cacheDir, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cache = cacheDir.toAbsolutePath().normalize();
    return abs.startsWith(cache) ? cache.relativize(abs).toString() : abs.toString();
  }

  /**
   * Copies a patch file into the cache under its sha256, unless there already, and names the
   * copy; its bytes are hashed while copied and must be {@code sha256}. Blocking.
   */
  static String keepCopy(Path cacheDir, Path patch, Digest sha256) {
    Path target = cacheDir.resolve(FILES).resolve(sha256.hex() + ".patch");
    if (Files.isRegularFile(target)) {
      return name(cacheDir, target);
    }
    try (AtomicFile copy = AtomicFile.of(target)) {
      Digest actual;
      try (InputStream in = Files.newInputStream(patch);
          HashingOutputStream out = HashingOutputStream.sha256(copy.output())) {
        in.transferTo(out);
        out.close();
        actual = out.digest();
      }
      if (!actual.equals(sha256)) {
        throw new IllegalStateException("patch file " + patch + " changed while prepare ran: it"
            + " hashed to " + sha256 + " and now to " + actual + "; run prepare again");
      }
      copy.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + patch + " into " + target.getParent() + ": "
          + Causes.describe(e), e);
    }
    return name(cacheDir, target);
  }
}
