package dev.refit.pipeline.prepare;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.SettingsLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real embedded "upstream" registry seeded with the demo's TripleO-shaped images (real python
 * files in real layers), plus deploy settings and a refit.yaml pointing at it. Blocking.
 */
final class UpstreamFixture implements AutoCloseable {
  static final List<String> SERVICES =
      List.of("nova-api", "nova-compute", "nova-conductor", "neutron-server", "novajoin-server");
  static final String NOVA_FILE =
      "usr/lib/python3.6/site-packages/nova/api/openstack/compute/servers.py";

  final Vertx vertx = Vertx.vertx();
  final InProcessRegistry upstream;
  final Path settingsFile;
  final Path refitYaml;
  private boolean upstreamStopped;

  UpstreamFixture(Path dir) throws Exception {
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(dir.resolve("upstream-store")));
    OciLayout layout = OciLayout.create(Files.createDirectories(dir.resolve("layout")));
    Map<String, String> repositories = DemoScenario.writeImages(layout);
    RegistryClient client = RegistryClient.create(vertx, upstream.hostPort(), ClientOptions.defaults());
    try {
      for (String repository : repositories.values()) {
        await(ImageCopier.of(CopyOptions.defaults()).copy(new LayoutSource(vertx, layout), repository,
            new RegistrySink(client, repository), DemoScenario.TAG));
      }
    } finally {
      await(client.close());
    }
    settingsFile = DemoScenario.writeSettings(dir.resolve("settings"));
    refitYaml = Files.writeString(dir.resolve("settings").resolve("refit.yaml"), String.join("\n",
        "upstream:",
        "  registry: " + upstream.hostPort(),
        "  namespace: " + DemoScenario.NAMESPACE,
        "  name_prefix: " + DemoScenario.PREFIX,
        "  tag: " + DemoScenario.TAG,
        "images: [" + String.join(", ", SERVICES) + "]",
        dev.refit.pipeline.local.FreeAddress.refitYamlLines(),
        ""));
  }

  LoadedSettings settings() {
    return SettingsLoader.load(settingsFile, Optional.empty(), Optional.of(refitYaml));
  }

  String upstreamRef(String service) {
    return upstream.hostPort() + "/" + DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + service
        + ":" + DemoScenario.TAG;
  }

  /** Runs prepare on a fresh Vert.x instance, as a CLI run would. */
  static PrepareReport prepare(LoadedSettings settings, PrepareOptions options) throws Exception {
    return prepare(settings, options, false, event -> { });
  }

  /** As {@link #prepare(LoadedSettings, PrepareOptions)}, strictly offline ({@code --no-fetch}). */
  static PrepareReport prepareOffline(LoadedSettings settings, PrepareOptions options) throws Exception {
    return prepare(settings, options, true, event -> { });
  }

  /** As {@link #prepare(LoadedSettings, PrepareOptions)}, handing every job event to {@code events}. */
  static PrepareReport prepare(LoadedSettings settings, PrepareOptions options,
      java.util.function.Consumer<io.vertx.core.json.JsonObject> events) throws Exception {
    return prepare(settings, options, false, events);
  }

  private static PrepareReport prepare(LoadedSettings settings, PrepareOptions options,
      boolean noFetch, java.util.function.Consumer<io.vertx.core.json.JsonObject> events)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(PreparePipeline.EVENTS,
          m -> events.accept(m.body())).completion());
      UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), options.cacheDir(), noFetch);
      return await(new PreparePipeline(vertx, settings, options, access).run().eventually(access::close));
    } finally {
      await(vertx.close());
    }
  }

  /** Reads one file from {@code service}'s image under {@code tag} in the store at {@code root}. */
  static String readFile(Path root, Path tmp, String service, String tag, String path)
      throws Exception {
    return read(root, tmp, service, tag, path, files -> {
      try (InputStream in = files.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    });
  }

  /** The entry (type, mode, owner) at {@code path} in {@code service}'s image under {@code tag}. */
  static dev.refit.patches.fs.FileEntry readEntry(Path root, Path tmp, String service, String tag,
      String path) throws Exception {
    return read(root, tmp, service, tag, path, files -> files.entry(path).orElseThrow());
  }

  private interface Reading<T> {
    T apply(dev.refit.patches.fs.FileSource files) throws Exception;
  }

  private static <T> T read(Path root, Path tmp, String service, String tag, String path,
      Reading<T> reading) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (InProcessRegistry local = InProcessRegistry.start(vertx, RegistryConfig.defaults(root))) {
      RegistryClient client = RegistryClient.create(vertx, local.hostPort(), ClientOptions.defaults());
      try {
        BlockingRegistry blocking = new BlockingRegistry(client, Duration.ofMinutes(1));
        RegistryImageAccess access = new RegistryImageAccess(
            s -> new RegistryImageAccess.Location(blocking,
                DemoScenario.NAMESPACE + "/" + DemoScenario.PREFIX + s, tag),
            new LayerCache(Files.createDirectories(tmp.resolve("layers"))),
            Files.createDirectories(tmp.resolve("pull")));
        Future<T> read = vertx.executeBlocking(
            () -> reading.apply(access.files(service, PathRequest.of(List.of(path)))), false);
        return await(read);
      } finally {
        await(client.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  void stopUpstream() {
    upstream.close();
    upstreamStopped = true;
  }

  @Override
  public void close() throws Exception {
    if (!upstreamStopped) {
      upstream.close();
    }
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }
}
