package dev.refit.pipeline.mirror;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.rewrite.CephadmSettings;
import dev.refit.pipeline.rewrite.ImageMapping;
import dev.refit.pipeline.rewrite.RewriteResult;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.InvalidImageRefException;
import dev.refit.registry.oci.Platform;
import dev.refit.settings.sync.SyncFile;
import dev.refit.settings.sync.SyncFileLoader;
import dev.refit.settings.sync.SyncRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code refit mirror}: chooses the sources and the destination once, plans the images, runs
 * them and returns the report. Offline ({@code --no-fetch}) is decided here and nowhere below:
 * a run whose sources need the network is refused before anything connects. With a
 * {@link Cluster}, this process plans and cluster workers copy ({@link ClusterMirror}). Blocking: call it
 * from a plain thread, never an event loop.
 */
public final class Mirror {
  private static final Duration PLAN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration RUN_TIMEOUT = Duration.ofDays(1);
  /** Closing packs an oci-archive destination, which takes as long as writing the file. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofHours(1);

  private final Vertx vertx;
  private final MirrorRequest request;
  /** The cluster's workers copy the images when set; else this process does. */
  private final Cluster cluster;
  private final SourceClients clients;
  private final List<Path> workDirs = new ArrayList<>();

  /**
   * A clustered run: how this coordinator reaches the workers.
   *
   * @param jobTimeout how long one image's job may go unanswered before it is sent again
   * @param version this coordinator's refit version; workers of another refuse its jobs
   * @param notices hears each job sent again; called on an event loop, so it must not block
   */
  public record Cluster(ClusterOptions options, Duration jobTimeout, String version, Consumer<String> notices) {}

  private Mirror(Vertx vertx, MirrorRequest request, Cluster cluster) {
    this.vertx = vertx;
    this.request = request;
    this.cluster = cluster;
    this.clients = new SourceClients(vertx);
  }

  public static MirrorReport run(Vertx vertx, MirrorRequest request) {
    return new Mirror(vertx, request, null).run();
  }

  /**
   * The same run as coordinator of a cluster ({@code vertx} must be clustered): this process
   * plans, and {@code refit worker} processes copy the images; the report is a local run's.
   */
  public static MirrorReport run(Vertx vertx, MirrorRequest request, Cluster cluster) {
    requireClusterable(request);
    return new Mirror(vertx, request, cluster).run();
  }

  /**
   * Refuses, before joining a cluster, what a clustered run cannot do: a destination other than
   * a registry every node reaches (exit 2), sources other than registries (exit 2), and
   * {@code --no-fetch} (exit 3, as a local run with registry sources). Blocking (reads the sync
   * file).
   */
  public static void requireClusterable(MirrorRequest request) {
    String to = request.to() == null ? "" : request.to();
    if (!to.startsWith("docker://")) {
      throw usage("--cluster needs a destination every node reaches: a registry, --to docker://HOST[:PORT][/PREFIX];"
              + " got " + (to.isEmpty() ? "the embedded store, which serves one machine" : to
              + ", which the workers would each write on their own machine"),
          "mirror with --to docker://HOST:PORT (distribution, Harbor, zot, or 'refit registry serve' on one node),"
              + " or run without --cluster");
    }
    List<String> local = request.refs().stream().filter(v -> !v.startsWith("docker://")).toList();
    if (!local.isEmpty()) {
      throw usage("--cluster mirrors from registries only; " + String.join(", ", local)
              + " is read on this machine", "mirror it without --cluster, or name docker:// sources or -f sync.yaml");
    }
    if (request.noFetch()) {
      refuseRemote(request, request.syncFile() == null ? null : SyncFileLoader.load(request.syncFile()));
    }
  }

  private MirrorReport run() {
    if ((request.syncFile() == null) == request.refs().isEmpty()) {
      throw usage("give either -f SYNC.yaml or source references, not both and not neither",
          "refit mirror -f sync.yaml [--to DEST], or refit mirror docker://HOST/REPO:TAG --to DEST");
    }
    if (request.concurrency() < 1) {
      throw usage("--concurrency must be at least 1, got " + request.concurrency(), "use e.g. --concurrency 4");
    }
    Set<Platform> platforms = platforms(request.platforms());
    SyncFile sync = request.syncFile() == null ? null : SyncFileLoader.load(request.syncFile());
    if (request.noFetch()) {
      refuseRemote(request, sync);
    }
    String cephadmHost = request.cephadmConf() == null ? null : cephadmHost();
    Destination destination = Destinations.open(vertx, request.to(), request.storeRoot(), request.destTlsVerify());
    try {
      MirrorPlanner planner = new MirrorPlanner(destination::repository, request.naming(), platforms, clients::client);
      List<MirrorItem> items = Await.result(sync != null ? planner.plan(sync.registries()) : planRefs(planner, platforms),
          PLAN_TIMEOUT, "listing the images to mirror");
      long start = System.nanoTime();
      List<MirrorOutcome> rows = Await.result(cluster == null
              ? MirrorRunner.of(destination, request.concurrency()).run(items)
              : new ClusterMirror(vertx, cluster.options(), cluster.jobTimeout(), cluster.version(), spec(),
                  cluster.notices()).run(items, clients, destination),
          RUN_TIMEOUT, "mirroring");
      MirrorReport report = new MirrorReport(rows, (System.nanoTime() - start) / 1_000_000);
      return cephadmHost == null ? report : report.withCephadmConf(cephadmConf(items, rows, cephadmHost));
    } finally {
      Await.result(Future.join(clients.close(), destination.close()), CLOSE_TIMEOUT, "closing the mirror's connections");
      workDirs.forEach(OciArchive::discard);
    }
  }

  /** What the workers need of this run: the sync file at its absolute path, the destination. */
  private MirrorJob.Spec spec() {
    return new MirrorJob.Spec(request.syncFile() == null ? null : request.syncFile().toAbsolutePath().normalize(),
        request.to(), request.destTlsVerify(), request.concurrency());
  }

  private Future<List<MirrorItem>> planRefs(MirrorPlanner planner, Set<Platform> platforms) {
    List<Future<List<MirrorItem>>> parts = new ArrayList<>();
    for (String value : request.refs()) {
      ImageRef ref = parse(value);
      if (ref.transport() == ImageRef.Transport.DOCKER) {
        SourceRepo source = SourceRepo.registry(clients.client(ref.registry(), ClientOptions.defaults()), ref.repository());
        parts.add(planner.plan(source, namesTagOrDigest(value) ? ref.tagOrDigest() : null, platforms));
      } else if (ref.transport() == ImageRef.Transport.OCI) {
        OciLayout layout = OciLayout.open(ref.path());
        String name = ref.path().toAbsolutePath().normalize().getFileName().toString();
        parts.add(planner.plan(SourceRepo.layout(vertx, layout, name), ref.tag(), platforms));
      } else if (ref.transport() == ImageRef.Transport.OCI_ARCHIVE) {
        SourceRepo source = archiveSource(ref.path(), "oci-archive", work -> OciLayout.open(extract(ref.path(), work)));
        parts.add(planner.plan(source, ref.tag(), platforms));
      } else {
        // docker-archive:FILE[:REPO:TAG|:@N]: the name as docker shows it, not ImageRef's docker.io/library/ form.
        String rest = value.substring("docker-archive:".length());
        String name = rest.indexOf(':') < 0 ? null : rest.substring(rest.indexOf(':') + 1);
        SourceRepo source = archiveSource(ref.path(), "docker-archive", work -> DockerArchive.toLayout(ref.path(), work));
        parts.add(planner.plan(source, name == null || name.isEmpty() ? null : DockerArchive.familiar(name), platforms));
      }
    }
    return Future.all(parts).map(all -> {
      List<MirrorItem> items = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        items.addAll(all.<List<MirrorItem>>resultAt(i));
      }
      return items;
    });
  }

  /**
   * The registry cephadm pulls the mirror from. The rewriter keeps each image's repository path
   * under a bare host ({@code ImageMapping}, the form {@code refit prepare} expects), so only a
   * {@code docker://HOST[:PORT]} destination with {@code --keep-path} names images the way the
   * settings will; anything else is refused before copying.
   */
  private String cephadmHost() {
    String to = request.to() == null ? "" : request.to();
    String host = to.startsWith("docker://") ? to.substring("docker://".length()).replaceAll("/+$", "") : "";
    if (host.isEmpty() || host.contains("/") || request.naming() != DestinationNaming.PATH) {
      throw usage("--cephadm-conf needs --to docker://HOST[:PORT] (no path prefix) and --keep-path, got "
              + (to.isEmpty() ? "the embedded store" : to) + (request.naming() == DestinationNaming.PATH ? "" : " without --keep-path"),
          "mirror with --to docker://HOST:PORT --keep-path, HOST:PORT being the address the cephadm hosts pull from");
    }
    return host;
  }

  /** Writes the cephadm settings for the images that were mirrored by tag (failed ones are left out). */
  private RewriteResult cephadmConf(List<MirrorItem> items, List<MirrorOutcome> rows, String host) {
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      MirrorItem item = items.get(i);
      if (!rows.get(i).failed() && !item.byDigest() && item.source().registry().isPresent()
          && CephadmSettings.isCephadmImage(item.source().repository())) {
        refs.add(item.source().registry().get() + "/" + item.source().repository() + ":" + item.destRef());
      }
    }
    return CephadmSettings.write(request.cephadmConf(), refs, ImageMapping.of(host));
  }

  /** An archive source, read through a layout in a work directory that the run removes. */
  private SourceRepo archiveSource(Path file, String scheme, Function<Path, OciLayout> open) {
    Path work;
    try {
      work = Files.createTempDirectory("refit-" + scheme + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a work directory for " + file, e);
    }
    workDirs.add(work);
    OciLayout layout = open.apply(work);
    String base = file.getFileName().toString();
    String name = base.endsWith(".tar") ? base.substring(0, base.length() - ".tar".length()) : base;
    return new SourceRepo.Archive(scheme + ":" + file, SourceRepo.layout(vertx, layout, name));
  }

  private static Path extract(Path archive, Path work) {
    OciArchive.extract(archive, work);
    return work;
  }

  /** True when the docker:// reference names a tag or digest after its last path component. */
  private static boolean namesTagOrDigest(String value) {
    String last = value.substring(value.lastIndexOf('/') + 1);
    return last.contains(":") || last.contains("@");
  }

  /** Exit 3 naming every source that would need the network; local sources pass. */
  private static void refuseRemote(MirrorRequest request, SyncFile sync) {
    List<String> remote = new ArrayList<>();
    if (sync != null) {
      for (SyncRegistry r : sync.registries()) {
        Stream.of(r.images().keySet(), r.tagRegex().keySet(), r.assemble().keySet()).flatMap(Set::stream)
            .distinct().forEach(name -> remote.add("docker://" + r.registry() + "/" + r.repository(name)));
      }
    } else {
      request.refs().stream().filter(v -> parse(v).transport() == ImageRef.Transport.DOCKER).forEach(remote::add);
    }
    if (!remote.isEmpty()) {
      throw new RefitException("--no-fetch: " + remote.size() + " source(s) need the network: "
          + String.join(", ", new LinkedHashSet<>(remote)),
          "run without --no-fetch where the registries are reachable, or mirror from an oci: layout",
          ExitCode.NOT_CACHED);
    }
  }

  private static Set<Platform> platforms(List<String> values) {
    Set<Platform> out = new LinkedHashSet<>();
    for (String v : values) {
      try {
        out.add(Platform.parse(v));
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage(), "write --platform os/arch[/variant], e.g. --platform linux/arm64");
      }
    }
    return out;
  }

  private static ImageRef parse(String value) {
    try {
      return ImageRef.parse(value);
    } catch (InvalidImageRefException e) {
      throw usage(e.getMessage(), "write docker://HOST/REPO[:TAG|@DIGEST], oci:DIR[:NAME], oci-archive:FILE[:NAME]"
          + " or docker-archive:FILE[:REPO:TAG]");
    }
  }

  private static RefitException usage(String message, String hint) {
    return new RefitException(message, hint, ExitCode.USAGE);
  }
}
