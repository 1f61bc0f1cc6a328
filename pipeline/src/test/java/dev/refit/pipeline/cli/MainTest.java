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
}
