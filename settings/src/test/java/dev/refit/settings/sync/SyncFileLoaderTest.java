package dev.refit.settings.sync;

import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.refit.error.ExitCode;
import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncFileLoaderTest {

  @TempDir Path dir;

  /** skopeo-sync(1)'s own example, plus refit's keys. */
  @Test
  void load_everyKey_readsEveryValueInFileOrder() {
    Path file = write(dir, "sync.yaml", """
        registry.example.com:
          images:
            busybox: []
            redis:
              - "1.0"
              - "2.0"
              - "sha256:0000000000000000000000000000000011111111111111111111111111111111"
          images-by-tag-regex:
            nginx: ^1\\.13\\.[12]-alpine-perl$
          credentials:
            username: john
            password: this is a secret
          tls-verify: true
          cert-dir: /home/john/certs
        quay.io:
          tls-verify: false
          images:
            ceph/ceph: [v17.2.6]
            ceph/ceph-grafana:
          refit:
            platforms: [linux/amd64, linux/arm64/v8]
            retag:
              ceph/ceph:
                v17.2.6: "17.2.6"
            assemble:
              ceph/ceph-grafana:
                "6.7.4": [6.7.4-x86_64, 6.7.4-aarch64]
        """);

    SyncFile sync = SyncFileLoader.load(file);

    assertThat(sync.registries()).extracting(SyncRegistry::host).containsExactly("registry.example.com", "quay.io");
    SyncRegistry example = sync.registries().get(0);
    assertThat(example.images()).containsExactly(
        Map.entry("busybox", List.of()),
        Map.entry("redis", List.of("1.0", "2.0",
            "sha256:0000000000000000000000000000000011111111111111111111111111111111")));
    assertThat(example.tagRegex().get("nginx").pattern()).isEqualTo("^1\\.13\\.[12]-alpine-perl$");
    assertThat(example.credentials()).isEqualTo(new SyncCredentials("john", "this is a secret"));
    assertThat(example.credentials().toString()).doesNotContain("secret");
    assertThat(example.tlsVerify()).isTrue();
    assertThat(example.certDir()).isEqualTo(Path.of("/home/john/certs"));
    assertThat(example.platforms()).isEmpty();
    assertThat(example.location().line()).isEqualTo(1);

    SyncRegistry quay = sync.registries().get(1);
    assertThat(quay.tlsVerify()).isFalse();
    assertThat(quay.images()).containsEntry("ceph/ceph-grafana", List.of());
    assertThat(quay.platforms()).containsExactly("linux/amd64", "linux/arm64/v8");
    assertThat(quay.retagged("ceph/ceph", "v17.2.6")).isEqualTo("17.2.6");
    assertThat(quay.retagged("ceph/ceph", "other")).isEqualTo("other");
    assertThat(quay.assemble()).containsEntry("ceph/ceph-grafana",
        Map.of("6.7.4", List.of("6.7.4-x86_64", "6.7.4-aarch64")));
  }

  @Test
  void repository_hostWithPathAndDockerHub_normalisedAsSkopeoDoes() {
    Path file = write(dir, "sync.yaml", """
        docker.io:
          images:
            busybox: [latest]
        quay.io/ceph:
          images:
            ceph: [v18]
        """);
    List<SyncRegistry> r = SyncFileLoader.load(file).registries();
    assertThat(r.get(0).repository("busybox")).isEqualTo("library/busybox");
    assertThat(r.get(1).registry()).isEqualTo("quay.io");
    assertThat(r.get(1).repository("ceph")).isEqualTo("ceph/ceph");
  }

  @Test
  void load_misspeltRegistryKey_failsAtItsLineWithSuggestion() {
    Path file = write(dir, "sync.yaml", """
        quay.io:
          images:
            ceph/ceph: [v18]
          tls-verfy: false
        """);
    assertThatThrownBy(() -> SyncFileLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(3);
          assertThat(e.getMessage()).startsWith(file + ":4:3: unknown key 'tls-verfy' in 'quay.io'");
          assertThat(e.hint()).startsWith("did you mean 'tls-verify'?");
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        });
  }

  @Test
  void load_misspeltRefitKey_suggestsTheKey() {
    SettingsException e = problem("quay.io:\n  refit:\n    asemble: {}\n");
    assertThat(e.getMessage()).contains(":3:5: unknown key 'asemble' in 'quay.io.refit'");
    assertThat(e.hint()).startsWith("did you mean 'assemble'?");
  }

  @Test
  void load_registryKeyAtTopLevel_saysToIndentIt() {
    SettingsException e = problem("images:\n  busybox: []\n");
    assertThat(e.getMessage()).contains(":1:1: 'images' at the top level");
    assertThat(e.hint()).contains("registry host");
  }

  @Test
  void load_badRegex_failsAtTheValue() {
    Path file = write(dir, "sync.yaml", """
        quay.io:
          images-by-tag-regex:
            ceph/ceph: "v17.(2"
        """);
    assertThatThrownBy(() -> SyncFileLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(16);
          assertThat(e.getMessage()).contains("invalid tag regex 'v17.(2'");
        });
  }

  @Test
  void load_badTagDigestPlatformAndShapes_eachNamedWhereItIs() {
    assertProblem("quay.io:\n  images:\n    ceph/ceph: [\"bad tag\"]\n", 3, "'bad tag' in 'quay.io.images.ceph/ceph' is not a tag");
    assertProblem("quay.io:\n  images:\n    ceph/ceph: [\"sha256:abc\"]\n", 3, "is not a digest");
    assertProblem("quay.io:\n  images:\n    ceph/ceph: v18\n", 3, "must be a list of tags or digests");
    assertProblem("quay.io:\n  images:\n    Ceph/Ceph: []\n", 3, "'Ceph/Ceph' in 'quay.io.images' is not a repository name");
    assertProblem("quay.io:\n  refit:\n    platforms: [amd64]\n", 3, "'amd64' is not a platform");
    assertProblem("quay.io:\n  refit:\n    assemble:\n      ceph/ceph-grafana:\n        \"6.7.4\": []\n", 5,
        "must list the per-platform tags");
    assertProblem("quay.io:\n  credentials:\n    username: john\n", 3, "missing key 'quay.io.credentials.password'");
    assertProblem("quay.io:\n  images-by-semver:\n    ceph/ceph: '>=17'\n", 2, "'images-by-semver' is not supported");
    assertProblem("https://quay.io:\n  images: {}\n", 1, "is not a registry host");
    assertProblem("quay.io:\n  tls-verify: maybe\n", 2, "'quay.io.tls-verify' must be a boolean");
  }

  @Test
  void load_registryWithoutKeys_isEmpty() {
    Path file = write(dir, "sync.yaml", "quay.io:\n");
    SyncRegistry r = SyncFileLoader.load(file).registries().get(0);
    assertThat(r.images()).isEmpty();
    assertThat(r.tagRegex()).isEmpty();
  }

  private void assertProblem(String yaml, int line, String message) {
    SettingsException e = problem(yaml);
    assertThat(e.getMessage()).as(yaml).contains(message);
    assertThat(e.line()).as(yaml).isEqualTo(line);
  }

  private SettingsException problem(String yaml) {
    Path file = write(dir, "bad-" + Math.abs(yaml.hashCode()) + ".yaml", yaml);
    return catchThrowableOfType(() -> SyncFileLoader.load(file), SettingsException.class);
  }
}
