package dev.refit.pipeline.diff;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.bundle.BundleEndpoint;
import dev.refit.pipeline.mirror.Mirror;
import dev.refit.pipeline.mirror.MirrorOutcome;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Opens the two sides of a diff from any reference: a name in the local registry is read in
 * place; anything else ({@code docker://}, {@code oci:}, {@code oci-archive:},
 * {@code docker-archive:}, {@code bundle:FILE:NAME}) is copied by the mirror's own sources
 * (digest-verified, one platform) into a scratch store the caller removes, and read from there.
 * Blocking: call it from a plain thread, not an event loop. Not thread-safe (one per run).
 */
public final class DiffSources {
  private static final List<String> TRANSPORTS =
      List.of("docker://", "oci:", "oci-archive:", "docker-archive:", BundleEndpoint.PREFIX);

  private final Vertx vertx;
  private final Path localRoot;
  private final Path scratchDir;
  private final boolean noFetch;
  private int imported;

  /**
   * @param localRoot the embedded registry's store (need not exist unless a local name is used)
   * @param scratchDir an empty directory for copied images, removed by the caller
   * @param noFetch refuse {@code docker://} references
   */
  public DiffSources(Vertx vertx, Path localRoot, Path scratchDir, boolean noFetch) {
    this.vertx = vertx;
    this.localRoot = localRoot;
    this.scratchDir = scratchDir;
    this.noFetch = noFetch;
  }

  /** True when {@code value} names a transport rather than the local registry. */
  public static boolean isTransport(String value) {
    return TRANSPORTS.stream().anyMatch(value::startsWith);
  }

  public DiffImage open(String value, Platform platform) {
    if (!isTransport(value)) {
      StoreRef ref = StoreRef.parse(value);
      if (!java.nio.file.Files.isDirectory(localRoot)) {
        throw new RefitException("no local registry store at " + localRoot + " to find " + value
            + " in", "pass --root DIR or --cache-dir DIR, or name a transport such as docker://",
            ExitCode.FAILED);
      }
      FsStore store = FsStore.open(localRoot, StoreOptions.defaults());
      return DiffImage.fromStore(store, ref.repository(), ref.reference(), platform, value);
    }
    Path root = scratchDir.resolve("store-" + (imported++));
    MirrorOutcome row = value.startsWith(BundleEndpoint.PREFIX)
        ? bundle(value, root) : copy(value, platform, root);
    if (row.failed()) {
      throw new RefitException("cannot read " + value + ": " + row.error(),
          "check the reference, or run 'refit mirror " + value + "' to see the copy fail on its own",
          ExitCode.FAILED);
    }
    String dest = row.destination().replaceFirst("^store:", "");
    StoreRef ref = StoreRef.parse(dest);
    return DiffImage.fromStore(FsStore.open(root, StoreOptions.defaults()), ref.repository(),
        row.digest() != null ? row.digest() : ref.reference(), platform, value);
  }

  private MirrorOutcome copy(String value, Platform platform, Path root) {
    String ref = value;
    if (value.startsWith("docker://")) {
      String last = value.substring(value.lastIndexOf('/') + 1);
      // The mirror copies every tag of a bare repository; a diff means its latest.
      ref = last.contains(":") || last.contains("@") ? value : value + ":latest";
    }
    MirrorRequest request = MirrorRequest.of(null, root).withRefs(List.of(ref))
        .withPlatforms(List.of(platform.toString())).withNoFetch(noFetch);
    MirrorReport report = Mirror.run(vertx, request);
    if (report.images().size() != 1) {
      throw new RefitException(value + " names " + report.images().size() + " images, not one",
          "name one image: give a tag, a digest or a NAME", ExitCode.USAGE);
    }
    return report.images().get(0);
  }

  /** {@code bundle:FILE[:NAME]}: FILE ends at the first ':' after the prefix. */
  private MirrorOutcome bundle(String value, Path root) {
    String rest = value.substring(BundleEndpoint.PREFIX.length());
    int colon = rest.indexOf(':');
    String file = colon < 0 ? rest : rest.substring(0, colon);
    String name = colon < 0 ? null : rest.substring(colon + 1);
    MirrorRequest request = MirrorRequest.of(null, root).withRefs(List.of(BundleEndpoint.PREFIX + file));
    MirrorReport report = BundleEndpoint.run(vertx, request, scratchDir.resolve("bundle-load"));
    String prefix = BundleEndpoint.PREFIX + file + ":";
    List<MirrorOutcome> rows = report.images().stream()
        .filter(r -> name == null || r.source().equals(prefix + name)).toList();
    if (rows.size() != 1) {
      throw new RefitException((name == null ? "bundle " + file + " holds " + report.images().size()
          + " images" : "bundle " + file + " has no image " + name) + "; it has: "
          + report.images().stream().map(r -> r.source().substring(prefix.length()))
              .collect(Collectors.joining(", ")),
          "name one: bundle:" + file + ":NAME", ExitCode.USAGE);
    }
    return rows.get(0);
  }
}
