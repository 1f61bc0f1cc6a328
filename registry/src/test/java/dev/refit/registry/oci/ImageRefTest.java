package dev.refit.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.ImageRef.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {
  static final String H = "b".repeat(64);
  static final String D = "sha256:" + H;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # input                                       | canonical                                        | registry              | repository             | tag        | digest        | familiar
      busybox                                       | docker.io/library/busybox:latest                 | docker.io             | library/busybox        | latest     | -             | busybox:latest
      busybox:1.36                                  | docker.io/library/busybox:1.36                   | docker.io             | library/busybox        | 1.36       | -             | busybox:1.36
      docker://busybox                              | docker.io/library/busybox:latest                 | docker.io             | library/busybox        | latest     | -             | busybox:latest
      library/busybox                               | docker.io/library/busybox:latest                 | docker.io             | library/busybox        | latest     | -             | busybox:latest
      docker.io/busybox                             | docker.io/library/busybox:latest                 | docker.io             | library/busybox        | latest     | -             | busybox:latest
      index.docker.io/library/busybox:1             | docker.io/library/busybox:1                      | docker.io             | library/busybox        | 1          | -             | busybox:1
      docker://docker.io/library/busybox:1          | docker.io/library/busybox:1                      | docker.io             | library/busybox        | 1          | -             | busybox:1
      user/app:v1.2                                 | docker.io/user/app:v1.2                          | docker.io             | user/app               | v1.2       | -             | user/app:v1.2
      docker.io/library/a/b                         | docker.io/library/a/b:latest                     | docker.io             | library/a/b            | latest     | -             | library/a/b:latest
      localhost/app                                 | localhost/app:latest                             | localhost             | app                    | latest     | -             | localhost/app:latest
      localhost:5000/app                            | localhost:5000/app:latest                        | localhost:5000        | app                    | latest     | -             | localhost:5000/app:latest
      127.0.0.1:8787/a/b:t                          | 127.0.0.1:8787/a/b:t                             | 127.0.0.1:8787        | a/b                    | t          | -             | 127.0.0.1:8787/a/b:t
      [::1]:5000/app:1                              | [::1]:5000/app:1                                 | [::1]:5000            | app                    | 1          | -             | [::1]:5000/app:1
      registry.example.com/team/sub/app:1.0-rc_1    | registry.example.com/team/sub/app:1.0-rc_1       | registry.example.com  | team/sub/app           | 1.0-rc_1   | -             | registry.example.com/team/sub/app:1.0-rc_1
      quay.io/prometheus/node-exporter:v1.7.0       | quay.io/prometheus/node-exporter:v1.7.0          | quay.io               | prometheus/node-exporter | v1.7.0   | -             | quay.io/prometheus/node-exporter:v1.7.0
      foo__bar/a-b--c/x.y_z                         | docker.io/foo__bar/a-b--c/x.y_z:latest           | docker.io             | foo__bar/a-b--c/x.y_z  | latest     | -             | foo__bar/a-b--c/x.y_z:latest
      Registry.Example/app                          | Registry.Example/app:latest                      | Registry.Example      | app                    | latest     | -             | Registry.Example/app:latest
      Foo/bar                                       | Foo/bar:latest                                   | Foo                   | bar                    | latest     | -             | Foo/bar:latest
      localhost:5000                                | docker.io/library/localhost:5000                 | docker.io             | library/localhost      | 5000       | -             | localhost:5000
      busybox:_under                                | docker.io/library/busybox:_under                 | docker.io             | library/busybox        | _under     | -             | busybox:_under
      """)
  void parse_dockerReferences(String input, String canonical, String registry, String repository,
      String tag, String digest, String familiar) {
    ImageRef r = ImageRef.parse(input);
    assertThat(r.transport()).isEqualTo(Transport.DOCKER);
    assertThat(r.toString()).isEqualTo(canonical);
    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.repository()).isEqualTo(repository);
    assertThat(r.tag()).isEqualTo(tag);
    assertThat(r.digest() == null ? null : r.digest().toString()).isEqualTo(digest);
    assertThat(r.familiar()).isEqualTo(familiar);
    assertThat(r.path()).isNull();
    assertThat(r.transportForm()).isEqualTo("docker://" + canonical);
    // the canonical and familiar forms parse back to the same reference
    assertThat(ImageRef.parse(canonical)).isEqualTo(r);
    assertThat(ImageRef.parse(r.familiar())).isEqualTo(r);
    assertThat(ImageRef.parse(r.transportForm())).isEqualTo(r);
  }

  @Test
  void parse_digestOnly_hasNoDefaultTag() {
    ImageRef r = ImageRef.parse("busybox@" + D);
    assertThat(r.tag()).isNull();
    assertThat(r.digest()).isEqualTo(Digest.parse(D));
    assertThat(r.toString()).isEqualTo("docker.io/library/busybox@" + D);
    assertThat(r.tagOrDigest()).isEqualTo(D);
  }

  @Test
  void parse_tagAndDigest_keepsBoth() {
    ImageRef r = ImageRef.parse("localhost:5000/a/b:1.0@" + D);
    assertThat(r.tag()).isEqualTo("1.0");
    assertThat(r.digest()).isEqualTo(Digest.parse(D));
    assertThat(r.name()).isEqualTo("localhost:5000/a/b");
    assertThat(r.toString()).isEqualTo("localhost:5000/a/b:1.0@" + D);
  }

  @Test
  void parse_tagOf128Chars_acceptedAnd129Rejected() {
    String t128 = "a" + "b".repeat(127);
    assertThat(ImageRef.parse("busybox:" + t128).tag()).isEqualTo(t128);
    assertThatThrownBy(() -> ImageRef.parse("busybox:" + t128 + "c"))
        .isInstanceOf(InvalidImageRefException.class)
        .hasMessageContaining("invalid tag");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Busybox                         | repository name 'library/Busybox' must be lowercase
      docker.io/Library/busybox       | repository name 'Library/busybox' must be lowercase
      localhost:5000/App              | repository name 'App' must be lowercase
      busybox:-bad                    | invalid tag '-bad'
      busybox:.bad                    | invalid tag '.bad'
      busybox:a+b                     | invalid tag 'a+b'
      busybox@sha256:abc              | invalid digest 'sha256:abc'
      busybox@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm 'md5'
      a//b                            | invalid repository name 'a//b'
      -app                            | invalid repository name 'library/-app'
      app-                            | invalid repository name 'library/app-'
      a:b:c                           | invalid repository name 'library/a:b'
      my_host.com/app                 | invalid registry host 'my_host.com'
      example.com:abc/app             | invalid registry host 'example.com:abc'
      :tag                            | missing repository name
      docker:busybox                  | the docker transport is written docker://REF
      containers-storage:busybox      | unsupported transport 'containers-storage:'
      docker://Busybox                | must be lowercase
      oci:                            | oci: needs a path
      oci-archive::x                  | oci-archive: needs a path
      oci:dir:-x                      | '-x' is not a valid org.opencontainers.image.ref.name
      oci:dir:a b                     | 'a b' is not a valid org.opencontainers.image.ref.name
      oci:dir:@-1                     | source index '@-1' must be @ followed by a non-negative integer
      oci:dir:@x                      | source index '@x'
      docker-archive:x.tar:Busybox    | must be lowercase
      """)
  void parse_invalid_explainsWhy(String input, String why) {
    assertThatThrownBy(() -> ImageRef.parse(input))
        .isInstanceOf(InvalidImageRefException.class)
        .hasMessageContaining(why)
        .hasMessageContaining(input.isEmpty() ? "" : "'");
  }

  @Test
  void parse_uppercaseDigestHex_rejectedByDigestRules() {
    assertThatThrownBy(() -> ImageRef.parse("busybox@sha256:" + "A".repeat(64)))
        .isInstanceOf(InvalidImageRefException.class)
        .hasMessageContaining("lowercase hex");
  }

  @Test
  void parse_imageIdOrEmptyOrTooLong_rejected() {
    assertThatThrownBy(() -> ImageRef.parse(H)).hasMessageContaining("image ID");
    assertThatThrownBy(() -> ImageRef.parse(" ")).hasMessageStartingWith("empty image reference");
    assertThatThrownBy(() -> ImageRef.parse("docker://")).hasMessageContaining("empty reference");
    assertThatThrownBy(() -> ImageRef.parse("example.com/" + "a".repeat(244)))
        .hasMessageContaining("must not be more than 255 characters");
    assertThat(ImageRef.parse("example.com/" + "a".repeat(243)).repository()).hasSize(243);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # input                             | transport      | path              | tag           | index | canonical
      oci:images/busybox                  | OCI            | images/busybox    | -             | -1    | oci:images/busybox
      oci:images/busybox:latest           | OCI            | images/busybox    | latest        | -1    | oci:images/busybox:latest
      oci:images/busybox:busybox:1.36     | OCI            | images/busybox    | busybox:1.36  | -1    | oci:images/busybox:busybox:1.36
      oci:out:example.com/app:v1          | OCI            | out               | example.com/app:v1 | -1 | oci:out:example.com/app:v1
      oci:layout:@2                       | OCI            | layout            | -             | 2     | oci:layout:@2
      oci:./rel/dir:                      | OCI            | ./rel/dir         | -             | -1    | oci:./rel/dir
      oci-archive:out/app.tar:v1          | OCI_ARCHIVE    | out/app.tar       | v1            | -1    | oci-archive:out/app.tar:v1
      docker-archive:save.tar             | DOCKER_ARCHIVE | save.tar          | -             | -1    | docker-archive:save.tar
      docker-archive:save.tar:@1          | DOCKER_ARCHIVE | save.tar          | -             | 1     | docker-archive:save.tar:@1
      docker-archive:save.tar:busybox     | DOCKER_ARCHIVE | save.tar          | latest        | -1    | docker-archive:save.tar:docker.io/library/busybox:latest
      docker-archive:s.tar:host:5000/a:b  | DOCKER_ARCHIVE | s.tar             | b             | -1    | docker-archive:s.tar:host:5000/a:b
      """)
  void parse_fileTransports(String input, Transport transport, String path, String tag, int index,
      String canonical) {
    ImageRef r = ImageRef.parse(input);
    assertThat(r.transport()).isEqualTo(transport);
    assertThat(r.path()).isEqualTo(Path.of(path));
    assertThat(r.tag()).isEqualTo(tag);
    assertThat(r.sourceIndex()).isEqualTo(index);
    assertThat(r.digest()).isNull();
    assertThat(r.toString()).isEqualTo(canonical);
    assertThat(r.transportForm()).isEqualTo(canonical);
    assertThat(ImageRef.parse(canonical)).isEqualTo(r);
  }

  @Test
  void dockerArchive_namedRef_exposesName() {
    ImageRef r = ImageRef.parse("docker-archive:save.tar:user/app:2");
    assertThat(r.registry()).isEqualTo("docker.io");
    assertThat(r.repository()).isEqualTo("user/app");
    assertThat(r.familiar()).isEqualTo("docker-archive:save.tar:user/app:2");
    assertThatThrownBy(() -> ImageRef.parse("docker-archive:save.tar:busybox@" + D))
        .isInstanceOf(InvalidImageRefException.class)
        .hasMessageContaining("does not support digest references");
  }

  @Test
  void withTag_replacesTagAndDropsDigest() {
    ImageRef r = ImageRef.parse("quay.io/a/b:1@" + D).withTag("2");
    assertThat(r.toString()).isEqualTo("quay.io/a/b:2");
    assertThat(r.digest()).isNull();
    assertThatThrownBy(() -> r.withTag("-x")).isInstanceOf(InvalidImageRefException.class);
    assertThat(ImageRef.parse("oci:dir:old").withTag("new").toString()).isEqualTo("oci:dir:new");
    assertThat(ImageRef.parse("oci:dir").withTag("a:b").tag()).isEqualTo("a:b");
    assertThatThrownBy(() -> ImageRef.parse("oci:dir").withTag("a b"))
        .isInstanceOf(InvalidImageRefException.class);
    assertThatThrownBy(() -> ImageRef.parse("docker-archive:x.tar").withTag("1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withDigest_pinsAndKeepsTag() {
    Digest d = Digest.parse(D);
    ImageRef r = ImageRef.parse("busybox:1.36").withDigest(d);
    assertThat(r.toString()).isEqualTo("docker.io/library/busybox:1.36@" + D);
    assertThat(r.familiar()).isEqualTo("busybox:1.36@" + D);
    assertThat(r.digest()).isEqualTo(d);
    assertThatThrownBy(() -> ImageRef.parse("oci:dir").withDigest(d))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void of_buildsNormalisedRegistryRef() {
    assertThat(ImageRef.of("localhost:5000", "a/b", null, null).toString()).isEqualTo("localhost:5000/a/b:latest");
    assertThat(ImageRef.of("docker.io", "busybox", "1", null)).isEqualTo(ImageRef.parse("busybox:1"));
    assertThat(ImageRef.of("docker.io", "busybox", null, Digest.parse(D)).tag()).isNull();
  }

  @Test
  void equals_distinguishesTransportsAndParts() {
    assertThat(ImageRef.parse("busybox")).isEqualTo(ImageRef.parse("docker.io/library/busybox:latest"))
        .hasSameHashCodeAs(ImageRef.parse("docker.io/library/busybox:latest"))
        .isNotEqualTo(ImageRef.parse("busybox:1"))
        .isNotEqualTo(ImageRef.parse("docker-archive:busybox"));
  }
}
