package dev.refit.pipeline.rebuild;

import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a registry builder ({@code daemonless}, {@code jib}) is set up. Immutable; thread-safe when
 * {@code baseFiles} and {@code events} are.
 *
 * @param client the local registry, holding base and target; base references are read from it by
 *     repository and digest only, so {@code localhost:8787} and {@code 127.0.0.1:8787} spellings of
 *     the same registry both work
 * @param workDir where the builder writes its files
 * @param version refit's version, for provenance and the history entry
 * @param timeout for each registry call refit makes itself
 * @param baseFiles view of the base for parent-directory metadata, or null
 * @param events receives one line per build step; called on the building thread(s), so it must
 *     be thread-safe and quick
 * @param memo layers written before, by content, or null (the daemonless builder's dev loop)
 */
record BuildSettings(RegistryClient client, Path workDir, String version, Duration timeout,
    BaseFiles baseFiles, Consumer<String> events, LayerMemo memo) {

  static BuildSettings of(RegistryClient client, Path workDir, String version) {
    return new BuildSettings(client, workDir, version, Duration.ofMinutes(5), null, m -> { }, null);
  }

  /** These settings remembering written layers by content under {@code cacheDir} ({@link LayerMemo}). */
  BuildSettings withLayerMemo(Path cacheDir) {
    return new BuildSettings(client, workDir, version, timeout, baseFiles, events, LayerMemo.in(cacheDir));
  }

  BuildSettings withTimeout(Duration value) {
    return new BuildSettings(client, workDir, version, value, baseFiles, events, memo);
  }

  /**
   * These settings reading parent-directory metadata from the base through {@code files}, so
   * directories such as {@code /var/lib/nova} keep their owner and mode ({@link BaseFiles}).
   * Without it, parent directories in the delta layer are root:root 0755.
   */
  BuildSettings withBaseFiles(BaseFiles files) {
    return new BuildSettings(client, workDir, version, timeout, files, events, memo);
  }

  BuildSettings withEvents(Consumer<String> sink) {
    return new BuildSettings(client, workDir, version, timeout, baseFiles, sink, memo);
  }

  /**
   * The base view for {@code request} built on {@code baseDigest} (this platform's own manifest),
   * resolved for the parents of its paths; null without {@code baseFiles}. Blocking.
   */
  FileSource baseView(RebuildRequest request, Digest baseDigest) {
    return baseFiles == null ? null
        : baseFiles.open(request.withBase(request.base().withDigest(baseDigest)),
            DeltaLayer.ancestors(request.result()));
  }
}
