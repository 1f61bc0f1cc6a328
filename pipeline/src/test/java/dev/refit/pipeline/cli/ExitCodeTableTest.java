package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.demo.DemoScenario;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of bad inputs against {@code plan}, {@code prepare} and {@code prepare --dry-run}
 * through the real command line: each row's exit code, exactly one {@code refit: error:} line,
 * exactly one {@code refit: hint:} line, no stack trace and no message ending in "null".
 *
 * <p>Rows left out, and why: {@code plan} and {@code --dry-run} apply no patch, so a
 * conflicting patch is a prepare-only row.
 */
class ExitCodeTableTest {
  private static final List<String> PLAN = List.of("plan");
  private static final List<String> PREPARE = List.of("prepare");
  private static final List<String> DRY_RUN = List.of("prepare", "--dry-run");
  private static final String NOVA_CHANGE = "I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

  @TempDir static Path shared;
  private static Vertx vertx;
  private static InProcessRegistry upstream;

  @TempDir Path tmp;

  /** The inputs of one run: settings from the demo scenario, one of them broken by a row. */
  record Inputs(Path settings, Path refitYaml, Path cache, List<String> extraArgs) {
    Inputs withArgs(String... more) {
      List<String> args = new ArrayList<>(extraArgs);
      args.addAll(List.of(more));
      return new Inputs(settings, refitYaml, cache, args);
    }
  }

  /** Breaks good inputs in one way; returns the inputs to run with. */
  interface BadInput {
    Inputs apply(Inputs good) throws IOException;
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(vertx, RegistryConfig.defaults(shared.resolve("upstream")));
    DemoUpstream.seed(vertx, upstream, shared.resolve("layout"));
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    upstream.close();
    DemoUpstream.await(vertx.close());
  }

  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    for (List<String> command : List.of(PLAN, PREPARE, DRY_RUN)) {
      rows.add(row(command, "malformed YAML", ExitCodeTableTest::malformedYaml, 2,
          "deploy_settings.yaml:"));
      rows.add(row(command, "unknown key", ExitCodeTableTest::unknownKey, 2, "did you mean 'project'?"));
      rows.add(row(command, "missing settings file", ExitCodeTableTest::missingSettings, 2,
          "file not found"));
      rows.add(row(command, "--registry not a URL", in -> in.withArgs("--registry", "foo"), 2,
          "--registry 'foo'"));
      rows.add(row(command, "unreachable local registry", ExitCodeTableTest::unreachableLocal, 1,
          "127.0.0.1"));
    }
    rows.add(row(PREPARE, "unreachable upstream", ExitCodeTableTest::unreachableUpstream, 1,
        "3 of 3 image(s) failed"));
    // Plans read an image from upstream while the local registry has no copy of it.
    for (List<String> command : List.of(PLAN, DRY_RUN)) {
      rows.add(row(command, "unreachable upstream", ExitCodeTableTest::unreachableUpstream, 1,
          "127.0.0.1"));
    }
    rows.add(row(PREPARE, "patch conflict", ExitCodeTableTest::patchConflict, 1,
        "1 of 3 image(s) failed: neutron-server"));
    for (List<String> command : List.of(PLAN, PREPARE, DRY_RUN)) {
      rows.add(row(command, "offline and not cached", ExitCodeTableTest::offlineEmptyCache, 3,
          "Gerrit change " + NOVA_CHANGE));
      rows.add(row(command, "offline, images not cached", in -> in.withArgs("--no-fetch"), 3,
          "centos-binary-nova-api:current-tripleo-rdo"));
    }
    return rows.stream();
  }

  private static Arguments row(List<String> command, String input, BadInput bad, int exit,
      String mentions) {
    return Arguments.of(String.join(" ", command), input, command, bad, exit, mentions);
  }

  @ParameterizedTest(name = "{0} / {1} -> exit {4}")
  @MethodSource("rows")
  void run_badInput_exitsWithOneErrorAndOneHint(String name, String input, List<String> command,
      BadInput bad, int exit, String mentions) throws Exception {
    Inputs in = bad.apply(goodInputs());
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("-d", in.settings().toString(), "-c", in.refitYaml().toString(),
        "--cache-dir", in.cache().toString()));
    args.addAll(in.extraArgs());

    MainTest.Run r = MainTest.run(args.toArray(String[]::new));

    String all = r.out() + r.err();
    assertThat(r.exitCode()).as(all).isEqualTo(exit);
    assertThat(r.err().lines().filter(l -> l.startsWith("refit: error:"))).as(r.err()).hasSize(1);
    assertThat(r.err().lines().filter(l -> l.startsWith("refit: hint:"))).as(r.err()).hasSize(1);
    assertThat(all).contains(mentions).doesNotContain("\tat ").doesNotContain("--debug");
    assertThat(all.lines().map(String::strip)).as(all).noneMatch(l -> l.endsWith("null"));
  }

  /** The demo scenario against the seeded upstream, a fresh cache and a free local address. */
  private Inputs goodInputs() throws IOException {
    Path settings = DemoScenario.writeSettings(tmp.resolve("settings"));
    Path refitYaml = DemoUpstream.refitYaml(settings.getParent(), upstream,
        "nova-api, neutron-server, novajoin-server");
    return new Inputs(settings, refitYaml, tmp.resolve("cache"), List.of());
  }

  private static Inputs malformedYaml(Inputs in) throws IOException {
    // The demo settings with a double quote opened and never closed.
    Files.writeString(in.settings(), Files.readString(in.settings())
        .replaceFirst("project: ", "project: \""));
    return in;
  }

  private static Inputs unknownKey(Inputs in) throws IOException {
    Files.writeString(in.settings(), Files.readString(in.settings())
        .replaceFirst("project:", "projcet:"));
    return in;
  }

  private static Inputs missingSettings(Inputs in) {
    return new Inputs(in.settings().resolveSibling("absent.yaml"), in.refitYaml(), in.cache(),
        in.extraArgs());
  }

  private static Inputs unreachableLocal(Inputs in) throws IOException {
    return in.withArgs("--registry", "http://127.0.0.1:" + closedPort());
  }

  private static Inputs unreachableUpstream(Inputs in) throws IOException {
    Files.writeString(in.refitYaml(), Files.readString(in.refitYaml())
        .replace(upstream.hostPort(), "127.0.0.1:" + closedPort()));
    return in;
  }

  private static Inputs patchConflict(Inputs in) throws IOException {
    Path neutronPatch = in.settings().resolveSibling("neutron-agent.patch");
    Files.writeString(neutronPatch, Files.readString(neutronPatch)
        .replace("-    timeout = 30", "-    timeout = 45"));
    return in;
  }

  /** {@code --no-fetch} on an empty cache, with the nova patch a Gerrit change. */
  private static Inputs offlineEmptyCache(Inputs in) throws IOException {
    Files.writeString(in.settings(), Files.readString(in.settings()).replace(
        "        project: openstack/nova\n        file: nova-servers.patch\n",
        "        project: openstack/nova\n"));
    Files.writeString(in.refitYaml(), Files.readString(in.refitYaml())
        + "gerrit_url: http://127.0.0.1:" + closedPort() + "\n");
    return in.withArgs("--no-fetch");
  }

  /** A loopback port nothing listens on: bound once, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
