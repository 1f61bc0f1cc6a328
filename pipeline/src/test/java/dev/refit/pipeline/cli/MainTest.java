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
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("invalid port in listen address 'localhost:notaport'");
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

  @Test
  void verify_and_gc_onDemoStore_reportIntactStore(@TempDir Path cache) throws Exception {
    Run demo = run("demo", "--cache-dir", cache.toString());
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
    assertThat(run("demo", "--cache-dir", cache.toString()).exitCode()).isZero();
    Path settings = cache.resolve("demo/deploy_settings.yaml");

    Run json = run("plan", "-d", settings.toString(), "--cache-dir", cache.toString(), "--output", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode plan =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(plan.path("patches")).hasSize(2);
    assertThat(plan.path("patches").get(0).path("targets").findValuesAsText("image"))
        .containsExactly("nova-api", "nova-compute", "nova-conductor");
    assertThat(plan.path("patches").get(1).path("targets").get(0).path("path").asText())
        .isEqualTo("usr/lib/python2.7/site-packages");
    assertThat(json.out()).doesNotContain("novajoin");

    Run table = run("plan", "-d", settings.toString(), "--cache-dir", cache.toString());
    assertThat(table.out()).contains("neutron-server", "/usr/lib/python2.7/site-packages", "WHY");
  }

  @Test
  void plan_unknownKey_failsWithFileLineColumnAndSuggestion(@TempDir Path tmp) throws Exception {
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
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(settings + ":5:9").contains("projcet").contains("project");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("--debug");
    assertThat(tmp.resolve("cache")).doesNotExist();
  }

  @Test
  void gc_whileServerHoldsTheStore_refusesAndRemovesNothing(@TempDir Path root) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      dev.refit.registry.server.RegistryServer server = dev.refit.registry.server.RegistryServer
          .start(vertx, dev.refit.registry.server.RegistryConfig.defaults(root).withPort(0))
          .toCompletionStage().toCompletableFuture().get();
      Run r = run("registry", "gc", "--root", root.toString(), "--grace", "0s");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("is in use by process").contains("--registry");
      server.stop().toCompletionStage().toCompletableFuture().get();
      assertThat(run("registry", "gc", "--root", root.toString()).exitCode()).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void demo_preparesPatchedImages_andSecondRunFindsThemUnchanged(@TempDir Path cache) throws Exception {
    Run first = run("demo", "--cache-dir", cache.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out().lines().filter(l -> l.matches("^nova-\\S+\\s+patched .*")).count())
        .isEqualTo(3);
    assertThat(first.out()).containsPattern("neutron-server\\s+patched")
        .containsPattern("novajoin-server\\s+fetched");
    String env = Files.readString(cache.resolve("demo/overcloud-images.yaml"));
    assertThat(env).contains("centos-binary-nova-api:apex")
        .contains("centos-binary-novajoin-server:current-tripleo-rdo");
    assertThat(cache.resolve("refit-report.json")).exists();

    Run second = run("demo", "--cache-dir", cache.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).doesNotContain(" patched ").doesNotContain(" fetched ");
    assertThat(second.out().lines().filter(l -> l.contains(" unchanged ")).count()).isEqualTo(5);
  }
}
