package dev.refit.pipeline.rebuild;

import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code daemonless} builder: appends the delta layers to the base image, which stays in the
 * local registry, and publishes the result there, writing each byte once and pushing it once, as
 * go-containerregistry's {@code mutate.Append} does. Blocking: file and registry IO run on the
 * calling thread, so run {@link #rebuild} on a named worker pool
 * ({@code vertx.executeBlocking(callable, false)}), never on an event loop. Thread-safe: each call
 * writes its own files under the work dir.
 *
 * <p>The base is read from this rebuilder's registry (the local one, {@code client}): only the
 * repository and digest of {@link RebuildRequest#base()} are used, so {@code localhost:8787} and
 * {@code 127.0.0.1:8787} spellings of the same registry both work.
 *
 * <p>Steps for one image:
 * <ol>
 *   <li>The build key ({@link BuildKey}) is compared with the {@code dev.refit.build-key} label of
 *       what {@code repo:tag} holds now; equal means done, nothing is pushed. Images built by
 *       earlier refit versions (with jib-core) carry the same key for the same inputs, so they are
 *       not rebuilt.
 *   <li>The delta layer is written once into the work dir as a reproducible gzip tar with the full
 *       12-bit modes ({@link LayerWriter}); both its digest and diff_id are computed while
 *       writing. Its bytes are the ones jib-core writes for a result without setuid, setgid or
 *       sticky bits, so the layer digest is the same as with earlier versions. A result of
 *       {@link LayerPartition#SINGLE_LAYER_BELOW} (16 MiB) or more is split by
 *       {@link LayerPartition} into up to 48 layers, one tar each, so that after one file of an
 *       install/ tree changes the next build shares every layer but the one holding it, and
 *       {@link ImageAppend} finds the others in the registry and uploads only that one.
 *   <li>{@link ImageAppend} cross-mounts the base layers (no base layer is ever downloaded), reads
 *       the base config, and pushes the layer and the new config ({@link AppendedConfig}: base
 *       config plus diff_id, history, provenance labels, created = epoch), each only when the
 *       registry lacks it.
 *   <li>The OCI manifest (base layers, delta layer, provenance annotations per OCI image-spec
 *       manifest.md "annotations") is put once, under {@code tag}. The tag only ever moves to a
 *       complete image; after a crash a re-run finds the blobs by HEAD and uploads nothing again,
 *       so no separate build tag is needed.
 * </ol>
 *
 * <p>Digests: equal inputs give equal digests on any machine. The layer digest is jib's; the
 * config and manifest digests differ from those of refit versions that built with jib-core (the
 * history entry names refit instead of jib, and the config keeps the base's fields as they are).
 * The {@code jib} builder ({@link JibRebuilder}) still builds the old way.
 */
public final class DaemonlessRebuilder extends RegistryRebuilder<DaemonlessRebuilder> {

  /** The builder name, recorded in provenance and the build key. */
  public static final String NAME = "daemonless";

  /** The build-key option naming the partition rule of a large result. */
  static final String LAYERS_OPTION = "daemonless.layers";

  private DaemonlessRebuilder(BuildSettings settings) {
    super(NAME, settings, DaemonlessRebuilder::new);
  }

  /**
   * A rebuilder publishing through {@code client}'s registry (the local one), writing layers under
   * {@code workDir}; its events are one line per step (base layers mounted, each blob uploaded or
   * found), on the rebuilding thread.
   *
   * @param version refit's version, for the provenance label and the history entry
   */
  public static DaemonlessRebuilder of(RegistryClient client, Path workDir, String version) {
    return new DaemonlessRebuilder(BuildSettings.of(client, workDir, version));
  }

  /**
   * This builder remembering the layers it writes by content under {@code cacheDir}
   * ({@link LayerMemo}), so a later build whose partition repeats a layer the registry still holds
   * neither writes nor uploads it. The result is the same image either way.
   */
  public DaemonlessRebuilder withLayerMemo(Path cacheDir) {
    return new DaemonlessRebuilder(settings.withLayerMemo(cacheDir));
  }

  @Override
  RawManifest build(PlatformBuilds builds, RebuildRequest request, String key) {
    return builds.build(request, key,
        (r, baseDigest, base, platform) -> buildImage(builds, r, baseDigest, base, platform, key));
  }

  private RawManifest buildImage(PlatformBuilds builds, RebuildRequest request, Digest baseDigest,
      Manifest base, Platform platform, String key) {
    String repo = request.targetRepository();
    Provenance provenance = builds.provenance(request, baseDigest, key);
    Path dir = scratch();
    try {
      FileSource baseView = settings.baseView(request, baseDigest);
      List<PatchResult> contents =
          LayerPartition.of(request.result(), LayerPartition.budget(base.layers().size()));
      if (contents.size() > 1) {
        settings.events().accept("delta: " + contents.size() + " layers of "
            + LayerPartition.totalBytes(request.result()) + " bytes (" + LayerPartition.RULE + ")");
      }
      List<NewLayer> layers = LayerWriter.write(contents, baseView, dir, settings.memo(),
          d -> Await.result(settings.client().headBlob(repo, d.digest()), settings.timeout(),
              "checking for the layer " + d.digest() + " in " + repo).isPresent());
      RawManifest built = new ImageAppend(settings.client(), settings.timeout(), settings.events())
          .push(request.base().repository(), baseDigest, base, repo, layers, provenance.labels(),
              "refit " + settings.version() + " (" + NAME + ")", provenance.labels(), dir);
      if (platform != null) {
        String what = "pushing the " + platform + " manifest to " + repo;
        Await.result(settings.client().putManifest(repo, built.digest().toString(), built),
            settings.timeout(), what);
      }
      return built;
    } finally {
      try {
        FileTrees.delete(dir);
      } catch (IOException e) {
        // Deliberately ignored: leftover files under the work dir are harmless, and throwing here
        // would hide the build's own outcome.
      }
    }
  }

  /**
   * A result that {@link LayerPartition} may split carries the rule in its build key as the option
   * {@code daemonless.layers}; smaller results keep the key (and the image) they had before.
   */
  @Override
  RebuildRequest keyed(RebuildRequest request) {
    if (LayerPartition.totalBytes(request.result()) < LayerPartition.SINGLE_LAYER_BELOW) {
      return request;
    }
    Map<String, String> options = new TreeMap<>(request.options());
    options.put(LAYERS_OPTION, LayerPartition.RULE);
    return request.withOptions(options);
  }

  /** A fresh directory under the work dir for one image's layer and config files. */
  private Path scratch() {
    try {
      return Files.createTempDirectory(Files.createDirectories(settings.workDir()), "append");
    } catch (IOException e) {
      throw new RebuildException("cannot create a directory under the work dir " + settings.workDir() + ": "
          + e.getMessage() + "; check free space and permissions there", e);
    }
  }
}
