package dev.refit.settings.config;

import static dev.refit.settings.TestFiles.resource;
import static dev.refit.settings.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.SettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefitConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaults_everyValueAsDocumented() {
    RefitConfig d = RefitConfig.defaults();
    assertThat(d.file()).isNull();
    assertThat(d.upstream().kind()).isEqualTo(UpstreamConfig.Kind.REGISTRY);
    assertThat(d.upstream().reference()).isNull();
    assertThat(d.upstream().registry()).isEqualTo("docker.io");
    assertThat(d.upstream().namespace()).isNull();
    assertThat(d.upstream().namespaceFor("queens")).isEqualTo("tripleoqueens");
    assertThat(d.upstream().namePrefix()).isEqualTo("centos-binary-");
    assertThat(d.upstream().tag()).isEqualTo("current-tripleo-rdo");
    assertThat(d.upstream().repositoryFor("master", "nova-api"))
        .isEqualTo("docker.io/tripleomaster/centos-binary-nova-api");
    assertThat(d.localRegistry().embedded()).isTrue();
    assertThat(d.localRegistry().url()).isNull();
    assertThat(d.images().discover()).isTrue();
    assertThat(d.images().filters()).isEmpty();
    assertThat(d.images().selects("anything")).isTrue();
    assertThat(d.tag()).isEqualTo(new TagConfig("apex", TagSuffix.NONE));
    assertThat(d.cacheDir()).isEqualTo(RefitConfig.defaultCacheDir());
    assertThat(d.cacheDir().getFileName().toString()).isEqualTo("refit");
    assertThat(d.concurrency()).isEqualTo(4);
    assertThat(d.builder()).isEqualTo(Builder.DAEMONLESS);
    assertThat(d.patchPolicy()).isEqualTo(PatchPolicy.STRICT);
    assertThat(d.fuzz()).isZero();
    assertThat(d.dropPaths()).containsExactly("releasenotes/", "tests/");
    assertThat(d.overrides()).isEmpty();
    assertThat(d.maxPatchBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(d.dockerfileStyle()).isEqualTo(DockerfileStyle.COPY);
    assertThat(d.gerritUrl()).isEqualTo(URI.create("https://review.opendev.org"));
  }

  @Test
  void load_emptyFile_equalsDefaultsExceptFile() {
    Path file = write(dir, "refit.yaml", "# nothing configured\n");
    RefitConfig loaded = RefitConfigLoader.load(file);
    assertThat(loaded.file()).isEqualTo(file);
    assertThat(loaded).usingRecursiveComparison().ignoringFields("file")
        .isEqualTo(RefitConfig.defaults());
  }

  @Test
  void loadOrDefaults_noFile_givesDefaults() {
    assertThat(RefitConfigLoader.loadOrDefaults(Optional.empty()))
        .isEqualTo(RefitConfig.defaults());
  }

  @Test
  void load_everyKeySet_readsEveryValue() {
    Path file = resource("refit/full.yaml");
    Path base = file.getParent();
    RefitConfig c = RefitConfigLoader.load(file);

    assertThat(c.upstream()).isEqualTo(new UpstreamConfig(UpstreamConfig.Kind.REGISTRY, null,
        "quay.io", "tripleotrain", "openstack-", "current-tripleo"));
    assertThat(c.upstream().namespaceFor("queens")).isEqualTo("tripleotrain");
    LocalRegistryConfig reg = c.localRegistry();
    assertThat(reg.embedded()).isFalse();
    assertThat(reg.url()).isEqualTo(URI.create("https://registry.example.com:5000"));
    assertThat(reg.username()).isEqualTo("refit");
    assertThat(reg.password()).isNull();
    assertThat(reg.passwordFile()).isEqualTo(base.resolve("registry-password"));
    assertThat(reg.resolvePassword()).contains("secret");
    assertThat(reg.insecure()).isTrue();
    assertThat(reg.caFile()).isEqualTo(base.resolve("ca.pem"));
    assertThat(reg.toString()).doesNotContain("secret");
    assertThat(c.images().discover()).isTrue();
    assertThat(c.images().filters()).hasSize(4);
    assertThat(c.tag()).isEqualTo(new TagConfig("patched", TagSuffix.CONTENT));
    assertThat(c.cacheDir()).isEqualTo(base.resolve("cache"));
    assertThat(c.concurrency()).isEqualTo(8);
    assertThat(c.builder()).isEqualTo(Builder.DOCKER);
    assertThat(c.patchPolicy()).isEqualTo(PatchPolicy.LENIENT);
    assertThat(c.fuzz()).isEqualTo(2);
    assertThat(c.dropPaths()).containsExactly("releasenotes/", "doc/");
    assertThat(c.overrides()).containsOnlyKeys("nova", "puppet-tripleo");
    assertThat(c.overrideFor("openstack/nova")).hasValueSatisfying(o -> {
      assertThat(o.add()).containsExactly("nova-libvirt");
      assertThat(o.remove()).containsExactly("nova-compute-ironic");
      assertThat(o.path()).isEqualTo("/usr/lib/python3.6/site-packages/nova");
    });
    assertThat(c.overrideFor("puppet-tripleo").orElseThrow().add()).isEmpty();
    assertThat(c.overrideFor("neutron")).isEmpty();
    assertThat(c.maxPatchBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.dockerfileStyle()).isEqualTo(DockerfileStyle.APEX);
    assertThat(c.gerritUrl()).isEqualTo(URI.create("https://review.example.org/gerrit"));
  }

  @Test
  void imagesFilters_laterRulesOverrideEarlier() {
    ImagesConfig images = RefitConfigLoader.load(resource("refit/full.yaml")).images();
    // include ^nova-, then exclude ^nova-compute and ironic, then include ^nova-compute$ again
    assertThat(images.selects("nova-api")).isTrue();
    assertThat(images.selects("nova-compute-ironic")).isFalse();
    assertThat(images.selects("nova-ironic")).isFalse();
    assertThat(images.selects("nova-compute")).isTrue();
    assertThat(images.selects("neutron-server")).isFalse();
  }

  @Test
  void images_explicitListWithExcludeOnly_selectsUnmatched() {
    Path file = write(dir, "refit.yaml", """
        images:
          names: [nova-api, nova-compute, neutron-server]
          filters:
            - exclude: compute
        """);
    ImagesConfig images = RefitConfigLoader.load(file).images();
    assertThat(images.discover()).isFalse();
    assertThat(images.selectedNames()).containsExactly("nova-api", "neutron-server");
  }

  @Test
  void images_plainList_isExplicitList() {
    Path file = write(dir, "refit.yaml", "images:\n  - nova-api\n  - keystone\n");
    assertThat(RefitConfigLoader.load(file).images().names())
        .containsExactly("nova-api", "keystone");
  }

  @Test
  void images_invalidRegex_failsAtPatternLocation() {
    Path file = write(dir, "refit.yaml", """
        images:
          filters:
            - include: '^nova-'
            - exclude: ['ok', 'nova-(api']
        """);
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(23);
          assertThat(e.problem()).startsWith("invalid regular expression 'nova-(api'");
        });
  }

  @Test
  void images_filterWithBothActions_fails() {
    Path file = write(dir, "refit.yaml",
        "images:\n  filters:\n    - {include: a, exclude: b}\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.problem()).contains("exactly one of 'include' or 'exclude'");
        });
  }

  @Test
  void images_invalidOrDuplicateName_fails() {
    Path bad = write(dir, "a.yaml", "images: [nova-api, Nova_API]\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(bad))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.column()).isEqualTo(20);
          assertThat(e.problem()).isEqualTo("'Nova_API' is not a valid image name");
        });
    Path dup = write(dir, "b.yaml", "images: [nova-api, nova-api]\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(dup))
        .isInstanceOf(SettingsException.class).hasMessageContaining("listed twice");
  }

  @Test
  void load_misspeltKey_suggestsNearestKey() {
    Path file = write(dir, "refit.yaml", "tag: apex\nconcurency: 3\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(1);
          assertThat(e.problem()).isEqualTo("unknown key 'concurency'");
          assertThat(e.hint()).startsWith("did you mean 'concurrency'?");
        });
  }

  @Test
  void load_wrongTypes_failWithExpectedAndFound() {
    Path file = write(dir, "refit.yaml", "concurrency: many\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.column()).isEqualTo(14);
          assertThat(e.problem())
              .isEqualTo("'concurrency' must be a whole number, found a string (many)");
        });
    Path list = write(dir, "b.yaml", "drop_paths: tests/\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(list))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("'drop_paths' must be a list, found a string (tests/)");
    Path range = write(dir, "c.yaml", "concurrency: 0\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(range))
        .isInstanceOf(SettingsException.class).hasMessageContaining("outside 1..64");
  }

  @Test
  void load_choiceTypo_suggestsValue() {
    Path file = write(dir, "refit.yaml", "builder: dokcer\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.column()).isEqualTo(10);
          assertThat(e.problem())
              .isEqualTo("'builder' must be one of daemonless, docker, jib, found 'dokcer'");
          assertThat(e.hint()).startsWith("did you mean 'docker'?");
        });
  }

  @Test
  void load_fuzzUnderStrict_failsAskingForLenient() {
    Path file = write(dir, "refit.yaml", "fuzz: 1\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("needs 'patch_policy: lenient'");
  }

  @Test
  void load_upstreamTransportReferences_acceptedWithKind() {
    assertThat(upstream("upstream: docker://quay.io/tripleomaster").kind())
        .isEqualTo(UpstreamConfig.Kind.DOCKER);
    assertThat(upstream("upstream: 'docker://localhost:5000/ns/centos-binary-nova-api:tag'")
        .kind()).isEqualTo(UpstreamConfig.Kind.DOCKER);
    assertThat(upstream("upstream: oci:images/layout:nova-api").kind())
        .isEqualTo(UpstreamConfig.Kind.OCI);
    UpstreamConfig archive = upstream("upstream:\n  ref: oci-archive:nova.tar\n  tag: x\n");
    assertThat(archive.kind()).isEqualTo(UpstreamConfig.Kind.OCI_ARCHIVE);
    assertThat(archive.reference()).isEqualTo("oci-archive:nova.tar");
    assertThat(archive.tag()).isEqualTo("x");
    assertThat(upstream("upstream: docker-archive:a.tar").kind())
        .isEqualTo(UpstreamConfig.Kind.DOCKER_ARCHIVE);
  }

  @Test
  void load_upstreamInvalidReference_failsWithLocation() {
    for (String bad : List.of("upstream: quay.io/tripleomaster", "upstream: docker://Quay/UPPER",
        "upstream: 'oci:'", "upstream: docker:///x")) {
      Path file = write(dir, "refit.yaml", "# bad upstream\n" + bad + "\n");
      assertThatThrownBy(() -> RefitConfigLoader.load(file))
          .as(bad)
          .isInstanceOfSatisfying(SettingsException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(11);
            assertThat(e.problem()).startsWith("invalid upstream reference");
          });
    }
    Path both = write(dir, "both.yaml", "upstream:\n  ref: oci:x\n  registry: quay.io\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(both))
        .isInstanceOf(SettingsException.class).hasMessageContaining("cannot be combined");
  }

  @Test
  void load_localRegistryForms() {
    assertThat(registry("local_registry: embedded").embedded()).isTrue();
    assertThat(registry("local_registry: http://127.0.0.1:5000").url())
        .isEqualTo(URI.create("http://127.0.0.1:5000"));
    LocalRegistryConfig inline = registry(
        "local_registry:\n  url: https://r.example\n  username: u\n  password: p\n");
    assertThat(inline.resolvePassword()).contains("p");
    assertThat(inline.toString()).doesNotContain("p,").contains("***");
  }

  @Test
  void load_localRegistryBadInput_fails() {
    assertRegistryFails("local_registry: ftp://r.example", "must be 'embedded' or an http(s) URL");
    assertRegistryFails("local_registry: https://u:p@r.example", "must not carry credentials");
    assertRegistryFails("local_registry:\n  url: https://r\n  username: u\n  password: p\n"
        + "  password_file: pw\n", "cannot both be set");
    assertRegistryFails("local_registry:\n  url: https://r\n  username: u\n"
        + "  password_file: missing-pw\n", "file not found: " + dir.resolve("missing-pw"));
    assertRegistryFails("local_registry:\n  url: https://r\n  password: p\n",
        "missing key 'local_registry.username'");
    assertRegistryFails("local_registry:\n  username: u\n", "missing key 'local_registry.url'");
    assertRegistryFails("local_registry:\n  url: https://r\n  insecure: 1\n",
        "'local_registry.insecure' must be a boolean");
  }

  @Test
  void load_tagForms() {
    Path plain = write(dir, "a.yaml", "tag: 2024\n");
    assertThat(RefitConfigLoader.load(plain).tag()).isEqualTo(new TagConfig("2024", TagSuffix.NONE));
    Path map = write(dir, "b.yaml", "tag: {suffix: timestamp}\n");
    assertThat(RefitConfigLoader.load(map).tag())
        .isEqualTo(new TagConfig("apex", TagSuffix.TIMESTAMP));
    Path bad = write(dir, "c.yaml", "tag: -bad\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(bad))
        .isInstanceOf(SettingsException.class).hasMessageContaining("tag '-bad' is not valid");
  }

  @Test
  void load_maxPatchSizeUnits() {
    assertThat(size("max_patch_size: 1024")).isEqualTo(1024);
    assertThat(size("max_patch_size: 512KiB")).isEqualTo(512 * 1024);
    assertThat(size("max_patch_size: 1 GiB")).isEqualTo(1024L * 1024 * 1024);
    Path bad = write(dir, "bad.yaml", "max_patch_size: 5TB\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(bad))
        .isInstanceOf(SettingsException.class).hasMessageContaining("not a size");
    Path zero = write(dir, "zero.yaml", "max_patch_size: 0\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(zero)).isInstanceOf(SettingsException.class);
  }

  @Test
  void load_jobTimeout_unitsDefaultAndBadValues() {
    assertThat(RefitConfigLoader.load(write(dir, "d.yaml", "fuzz: 0\n")).jobTimeout())
        .isEqualTo(RefitConfig.DEFAULT_JOB_TIMEOUT);
    assertThat(RefitConfigLoader.load(write(dir, "s.yaml", "job_timeout: 90s\n")).jobTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(RefitConfigLoader.load(write(dir, "m.yaml", "job_timeout: 45m\n")).jobTimeout())
        .isEqualTo(java.time.Duration.ofMinutes(45));
    assertThat(RefitConfigLoader.load(write(dir, "h.yaml", "job_timeout: 2H\n")).jobTimeout())
        .isEqualTo(java.time.Duration.ofHours(2));
    for (String bad : new String[] {"0s", "169h", "soon", "10"}) {
      Path file = write(dir, "bad-" + bad + ".yaml", "job_timeout: " + bad + "\n");
      assertThatThrownBy(() -> RefitConfigLoader.load(file))
          .isInstanceOfSatisfying(SettingsException.class, e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.problem()).contains("not a duration");
          });
    }
  }

  @Test
  void load_overrideBadPathOrDuplicateProject_fails() {
    Path rel = write(dir, "a.yaml", "overrides:\n  nova:\n    path: usr/lib/nova\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(rel))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.problem()).contains("clean absolute path");
        });
    Path escape = write(dir, "b.yaml", "overrides:\n  nova:\n    path: /usr/../etc\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(escape)).isInstanceOf(SettingsException.class);
    Path dup = write(dir, "c.yaml",
        "overrides:\n  nova: {add: [x]}\n  openstack/nova: {add: [y]}\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(dup))
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.line()).isEqualTo(3));
    Path typo = write(dir, "d.yaml", "overrides:\n  nova: {remvoe: [x]}\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(typo))
        .isInstanceOfSatisfying(SettingsException.class,
            e -> assertThat(e.hint()).startsWith("did you mean 'remove'?"));
  }

  @Test
  void load_cacheDirTildeAndGerritUrl() {
    Path file = write(dir, "refit.yaml", "cache_dir: ~/refit-cache\ngerrit_url: ftp://x\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.line()).isEqualTo(2));
    Path ok = write(dir, "ok.yaml", "cache_dir: ~/refit-cache\n");
    assertThat(RefitConfigLoader.load(ok).cacheDir())
        .isEqualTo(Path.of(System.getProperty("user.home"), "refit-cache"));
  }

  @Test
  void load_artifacts_readsUrlChecksumAndDestUnderTheCache() {
    String sha = "ab".repeat(32);
    Path file = write(dir, "refit.yaml", """
        artifacts:
          - url: https://images.example.org/master/overcloud-full.tar
            sha256: sha256:%s
            dest: images/./overcloud-full.tar
          - url: http://mirror.example.org:8080/undercloud.qcow2
            dest: undercloud.qcow2
        """.formatted(sha.toUpperCase(java.util.Locale.ROOT)));
    List<ArtifactConfig> artifacts = RefitConfigLoader.load(file).artifacts();
    assertThat(artifacts).extracting(ArtifactConfig::url).containsExactly(
        URI.create("https://images.example.org/master/overcloud-full.tar"),
        URI.create("http://mirror.example.org:8080/undercloud.qcow2"));
    assertThat(artifacts).extracting(ArtifactConfig::sha256).containsExactly(sha, null);
    assertThat(artifacts).extracting(ArtifactConfig::dest)
        .containsExactly(Path.of("images/overcloud-full.tar"), Path.of("undercloud.qcow2"));
    assertThat(artifacts.get(0).origin().line()).isEqualTo(2);
    assertThat(artifacts.get(0).target(Path.of("cache")))
        .isEqualTo(Path.of("cache/images/overcloud-full.tar"));
    assertThat(RefitConfig.defaults().artifacts()).isEmpty();
  }

  @Test
  void load_artifactBadUrl_failsAtTheValue() {
    for (String bad : new String[] {"ftp://x/a.tar", "images/a.tar", "https://", "http://u:p@x/a"}) {
      assertArtifactFails("  - url: '" + bad + "'\n    dest: a.tar", 2, 10,
          "'artifacts[0].url' must be an http(s) URL");
    }
    assertArtifactFails("  - dest: a.tar", 2, 5, "missing key 'artifacts[0].url'");
  }

  @Test
  void load_artifactBadSha256_failsAtTheValue() {
    for (String bad : new String[] {"abc", "md5:" + "ab".repeat(16), "ab".repeat(32) + "0", "zz".repeat(32)}) {
      assertArtifactFails("  - url: https://x.org/a.tar\n    sha256: '" + bad + "'\n    dest: a.tar", 3, 13,
          "'artifacts[0].sha256' is not a sha256");
    }
  }

  @Test
  void load_artifactDestEscapingTheCache_fails() {
    String[][] cases = {
        {"/var/lib/images/a.tar", "must be relative to the cache directory"},
        {"~/a.tar", "must be relative to the cache directory"},
        {"../a.tar", "may not contain '..'"},
        {"images/../../a.tar", "may not contain '..'"},
        {"images/../a.tar", "may not contain '..'"},
        {".", "names no file"}};
    for (String[] c : cases) {
      assertArtifactFails("  - url: https://x.org/a.tar\n    dest: '" + c[0] + "'", 3, 11, c[1]);
    }
    Path twice = write(dir, "twice.yaml", "artifacts:\n  - {url: 'https://x.org/a', dest: a.tar}\n"
        + "  - {url: 'https://x.org/b', dest: ./a.tar}\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(twice))
        .isInstanceOfSatisfying(SettingsException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.problem()).contains("also the dest of the entry at").contains("twice.yaml:2:5");
        });
    Path typo = write(dir, "typo.yaml", "artifacts:\n  - {url: 'https://x.org/a', dets: a.tar}\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(typo))
        .isInstanceOfSatisfying(SettingsException.class,
            e -> assertThat(e.hint()).startsWith("did you mean 'dest'?"));
  }

  /** {@code artifacts:} followed by {@code entries} fails at line:column with {@code problem}. */
  private void assertArtifactFails(String entries, int line, int column, String problem) {
    Path file = write(dir, "artifacts.yaml", "artifacts:\n" + entries + "\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file)).as(entries)
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(List.of(e.line(), e.column(),
            e.problem().contains(problem))).as(e.getMessage()).containsExactly(line, column, true));
  }

  private UpstreamConfig upstream(String yaml) {
    return RefitConfigLoader.load(write(dir, "up.yaml", yaml + "\n")).upstream();
  }

  private LocalRegistryConfig registry(String yaml) {
    return RefitConfigLoader.load(write(dir, "reg.yaml", yaml + "\n")).localRegistry();
  }

  private long size(String yaml) {
    return RefitConfigLoader.load(write(dir, "size.yaml", yaml + "\n")).maxPatchBytes();
  }

  private void assertRegistryFails(String yaml, String message) {
    Path file = write(dir, "reg.yaml", yaml + "\n");
    assertThatThrownBy(() -> RefitConfigLoader.load(file))
        .as(yaml)
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(message);
  }
}
