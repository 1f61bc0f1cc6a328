package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void help_listsEverySubcommand() {
    Run r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("registry", "demo");
    Run reg = run("registry", "--help");
    assertThat(reg.out()).contains("serve", "gc", "verify");
  }

  /**
   * picocli prints each element of a description on its own line and wraps it itself, so an
   * element is a paragraph: it must end a sentence, never break one in the middle.
   */
  @Test
  void help_everyDescriptionElement_endsASentence() {
    java.util.List<String> split = new java.util.ArrayList<>();
    java.util.Deque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine.Model.CommandSpec spec = todo.pop().getCommandSpec();
      todo.addAll(spec.subcommands().values());
      java.util.List<String[]> texts = new java.util.ArrayList<>();
      texts.add(spec.usageMessage().description());
      spec.options().forEach(o -> texts.add(o.description()));
      spec.positionalParameters().forEach(p -> texts.add(p.description()));
      for (String[] text : texts) {
        for (String element : text) {
          if (!element.replace("%n", "").strip().endsWith(".")) {
            split.add(spec.qualifiedName() + ": " + element);
          }
        }
      }
    }
    assertThat(split).isEmpty();
  }

  @Test
  void verify_missingRoot_failsWithHintAndNoTrace(@TempDir Path tmp) {
    Path absent = tmp.resolve("absent");
    Run r = run("registry", "verify", "--root", absent.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no registry store at " + absent).contains("refit: hint:");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(absent).doesNotExist();
  }

  @Test
  void gc_missingRoot_withDebug_printsStackTrace(@TempDir Path tmp) {
    Run r = run("registry", "gc", "--root", tmp.resolve("absent").toString(), "--debug");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("\tat dev.refit.pipeline.cli.");
  }

  @Test
  void serve_badListen_isUsageError() {
    Run r = run("registry", "serve", "--listen", "localhost:notaport");
    assertThat(r.exitCode()).isEqualTo(dev.refit.error.ExitCode.USAGE.code());
    assertThat(r.err()).contains("invalid port in listen address 'localhost:notaport'");
  }

  @Test
  void serve_zeroConnectionsPerClient_failsBeforeCreatingStore(@TempDir Path tmp) {
    Path root = tmp.resolve("store");
    Run r = run("registry", "serve", "--root", root.toString(), "--max-connections-per-client", "0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--max-connections-per-client must be positive");
    assertThat(root).doesNotExist();
  }

  @Test
  void serve_tlsCertWithoutKey_failsBeforeCreatingStore(@TempDir Path tmp) throws Exception {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    Path root = tmp.resolve("store");
    Run r = run("registry", "serve", "--root", root.toString(), "--tls-cert", cert.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--tls-cert and --tls-key must be given together");
    assertThat(root).doesNotExist();
  }

  /** The demo on free ports only: the local registry at a free address, the upstream on port 0. */
  static Run demo(Path cache) {
    return run("demo", "--cache-dir", cache.toString(),
        "--address", dev.refit.pipeline.local.FreeAddress.loopback(), "--upstream-port", "0");
  }

  @Test
  void verify_and_gc_onDemoStore_reportIntactStore(@TempDir Path cache) throws Exception {
    Run demo = demo(cache);
    assertThat(demo.exitCode()).as(demo.err()).isZero();

    Run verify = run("registry", "verify", "--root", cache.resolve("registry").toString());
    assertThat(verify.exitCode()).isZero();

    Run gc = run("registry", "gc", "--root", cache.resolve("registry").toString(), "--grace", "0s");
    assertThat(gc.exitCode()).isZero();
    // Everything the demo pushed is tagged, so nothing may be collected.
    Run verifyAgain = run("registry", "verify", "--root", cache.resolve("registry").toString());
    assertThat(verifyAgain.exitCode()).isZero();
    try (Stream<Path> blobs = Files.walk(cache.resolve("registry"))) {
      assertThat(blobs.filter(Files::isRegularFile).count()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void plan_afterDemo_mapsPatchesToImagesAndPaths(@TempDir Path cache) throws Exception {
    assertThat(demo(cache).exitCode()).isZero();
    String settings = cache.resolve("demo/deploy_settings.yaml").toString();
    // The demo's copy of refit.yaml names the free address the demo used.
    String config = cache.resolve("demo/refit.yaml").toString();

    Run json = run("plan", "-d", settings, "-c", config, "--cache-dir", cache.toString(), "--output", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode plan =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(plan.path("patches")).hasSize(3);
    assertThat(plan.path("patches").get(0).path("targets").findValuesAsText("image"))
        .containsExactly("nova-api", "nova-compute", "nova-conductor", "nova-scheduler");
    assertThat(plan.path("patches").get(1).path("targets").findValuesAsText("image"))
        .containsExactly("neutron-openvswitch-agent", "neutron-server");
    assertThat(plan.path("patches").get(1).path("targets").get(0).path("path").asText())
        .isEqualTo("usr/lib/python3.6/site-packages");
    assertThat(plan.path("patches").get(2).path("targets").findValuesAsText("image"))
        .containsExactly("ceph-daemon");
    assertThat(json.out()).doesNotContain("novajoin");

    Run table = run("plan", "-d", settings, "-c", config, "--cache-dir", cache.toString());
    assertThat(table.out()).contains("neutron-server", "/usr/lib/python3.6/site-packages", "WHY");
  }

  @Test
  void plan_unknownKey_exits2WithFileLineColumnAndSuggestion(@TempDir Path tmp) throws Exception {
    Path settings = Files.writeString(tmp.resolve("deploy.yaml"), String.join("\n",
        "global_params:",
        "  patches:",
        "    overcloud:",
        "      - change-id: I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        "        projcet: openstack/nova",
        "deploy_options:",
        "  containers: true",
        "  os_version: master",
        ""));
    Run r = run("plan", "-d", settings.toString(), "--cache-dir", tmp.resolve("cache").toString());
    // Bad settings are a usage error, for plan as for prepare.
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(settings + ":5:9").contains("projcet").contains("project");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("--debug");
    assertThat(tmp.resolve("cache")).doesNotExist();
  }

  @Test
  void gc_whileAHolderThatServesNothingHoldsTheStore_refuses(@TempDir Path root) {
    // Another gc, say: it holds the lock but takes no requests (a server is RegistryGcCommandTest's).
    try (dev.refit.registry.store.fs.StoreLock held =
        dev.refit.registry.store.fs.StoreLock.acquire(root)) {
      Run r = run("registry", "gc", "--root", root.toString(), "--grace", "0s");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("is in use by process").contains("--gc-interval");
    }
    assertThat(run("registry", "gc", "--root", root.toString()).exitCode()).isZero();
  }

}
