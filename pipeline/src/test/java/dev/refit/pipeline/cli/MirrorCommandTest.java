package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MirrorCommandTest {
  @TempDir Path tmp;

  @Test
  void mirror_misspeltKey_exits2WithLineColumnAndSuggestion() throws Exception {
    Path sync = Files.writeString(tmp.resolve("sync.yaml"), "quay.io:\n  imagse:\n    ceph/ceph: [v18]\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("mirror", "-f", sync.toString(), "--root", tmp.resolve("store").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("refit: error: " + sync + ":2:3: unknown key 'imagse' in 'quay.io'")
        .contains("refit: hint: did you mean 'images'?");
  }

  @Test
  void mirror_noFetchWithRegistrySource_exits3() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("mirror", "docker://127.0.0.1:9/ceph/ceph:v18", "--no-fetch",
        "--root", tmp.resolve("store").toString());
    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("docker://127.0.0.1:9/ceph/ceph:v18");
  }
}
