package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import dev.refit.settings.config.RefitConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Remembers, per local repository, the inputs behind its last published apex image, so a re-run
 * with the same inputs answers {@code unchanged} before planning and patching, which read the
 * image's layers. Kept in {@code <cache>/apex-inputs.json}, replaced atomically. It is only a
 * shortcut: an entry counts only while the apex tag still resolves to the recorded digest, and
 * a missing or unreadable file just means the full path is taken. Thread-safe.
 */
final class InputKeys {
  static final String FILE_NAME = "apex-inputs.json";

  /** The inputs' key, the apex manifest digest they gave, and the patch ids applied. */
  record Entry(String key, String digest, List<String> patches) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private InputKeys(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** Loads the file under {@code cacheDir}; absent or unreadable gives an empty set. */
  static InputKeys load(Path cacheDir) {
    Path file = cacheDir.resolve(FILE_NAME);
    Map<String, Entry> entries = new TreeMap<>();
    if (Files.isRegularFile(file)) {
      try {
        entries.putAll(Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, Entry>>() {}));
      } catch (IOException e) {
        // A damaged shortcut file costs one full run, which rewrites it.
      }
    }
    return new InputKeys(file, entries);
  }

  synchronized Optional<Entry> get(String repository) {
    return Optional.ofNullable(entries.get(repository));
  }

  /** Records {@code entry} and writes the file (temp file, then atomic rename). Blocking. */
  synchronized void put(String repository, Entry entry) {
    entries.put(repository, entry);
    try {
      AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * What, besides the image and its patches, decides a build: the settings that change the files
   * or the image refit writes (fuzz, dropped paths, project overrides, Dockerfile style, tag), the
   * OS version, the builder and refit's version. How the local registry is reached (embedded or
   * by URL, its address), where files live, concurrency, timeouts, the upstream's address and
   * the file artifacts change no image, so they are left out: the same store reached either way
   * answers {@code unchanged}.
   */
  static String fingerprint(RefitConfig config, String osVersion, String builder, String version) {
    StringBuilder facts = new StringBuilder("refit-inputs/2\n");
    facts.append("os ").append(osVersion).append('\n')
        .append("builder ").append(builder).append('\n')
        .append("version ").append(version).append('\n')
        .append("tag ").append(config.tag()).append('\n')
        .append("fuzz ").append(config.fuzz()).append('\n')
        .append("drop ").append(config.dropPaths()).append('\n')
        .append("dockerfile ").append(config.dockerfileStyle()).append('\n');
    new TreeMap<>(config.overrides()).forEach((project, o) -> facts.append("override ")
        .append(project).append(' ').append(o.path()).append(' ').append(o.add()).append(' ')
        .append(o.remove()).append('\n'));
    return facts.toString();
  }

  /**
   * The key of one image's inputs: the settings that shape a build ({@code fingerprint}), the
   * upstream digest, and each patch that maps to the image by name, with its content hash,
   * revision and Gerrit status (a merge can make a patch count as promoted).
   */
  static String key(String fingerprint, Digest base, List<FetchedPatch> patches) {
    StringBuilder facts = new StringBuilder(fingerprint).append('\n').append(base).append('\n');
    for (FetchedPatch p : patches) {
      facts.append(p.spec()).append(' ').append(p.sha256()).append(' ').append(p.revision())
          .append(' ').append(p.status()).append(' ').append(p.mergedAt()).append('\n');
    }
    return Digest.sha256(facts.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
