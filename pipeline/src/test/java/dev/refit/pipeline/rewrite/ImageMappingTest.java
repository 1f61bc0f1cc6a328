package dev.refit.pipeline.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageMappingTest {

  private final ImageMapping mapping = ImageMapping.of("10.0.0.5:8787").withPatched(Set.of("nova-api"));

  @Test
  void serviceOf_stripsKollaPrefix() {
    assertThat(mapping.serviceOf(ImageRef.parse(
        "docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo"))).isEqualTo("nova-api");
    assertThat(mapping.serviceOf(ImageRef.parse("registry.redhat.io/rhosp-rhel8/openstack-nova-api:16.2")))
        .isEqualTo("nova-api");
    assertThat(mapping.serviceOf(ImageRef.parse("quay.io/ceph/daemon:v4"))).isEqualTo("daemon");
  }

  @Test
  void target_patchedAndMirror() {
    assertThat(mapping.target(ImageRef.parse("docker.io/tq/centos-binary-nova-api:x")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-nova-api:apex");
    assertThat(mapping.target(ImageRef.parse("docker.io/tq/centos-binary-nova-api-cfn:x")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-nova-api-cfn:x");
    assertThat(mapping.target(ImageRef.parse("10.0.0.5:8787/tq/centos-binary-nova-api:apex")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-nova-api:apex");
  }

  @Test
  void target_pinned_usesSuppliedDigestElseUpstreamDigestElseFails() {
    Digest d = Digest.sha256(new byte[] {1});
    Digest upstream = Digest.sha256(new byte[] {2});
    ImageMapping pin = mapping.withPinDigests(true).withDigest("10.0.0.5:8787/tq/centos-binary-nova-api:apex", d);

    assertThat(pin.target(ImageRef.parse("docker.io/tq/centos-binary-nova-api:x")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-nova-api:apex@" + d);
    assertThat(pin.target(ImageRef.parse("docker.io/tq/centos-binary-keystone:x@" + upstream)))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-keystone:x@" + upstream);
    assertThatThrownBy(() -> pin.target(ImageRef.parse("docker.io/tq/centos-binary-keystone:x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no digest known");
  }

  @Test
  void withApexImageAndMirrorDigest_feedPinning() {
    Digest apex = Digest.sha256(new byte[] {3});
    Digest mirror = Digest.sha256(new byte[] {4});
    ImageMapping m = ImageMapping.of("10.0.0.5:8787").withPinDigests(true)
        .withApexImage("tq/centos-binary-glance-api", apex)
        .withMirrorDigest("docker.io/tq/centos-binary-keystone:x", mirror);

    assertThat(m.isPatched("glance-api")).isTrue();
    assertThat(m.target(ImageRef.parse("docker.io/tq/centos-binary-glance-api:x")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-glance-api:apex@" + apex);
    assertThat(m.target(ImageRef.parse("docker.io/tq/centos-binary-keystone:x")))
        .isEqualTo("10.0.0.5:8787/tq/centos-binary-keystone:x@" + mirror);
  }

  @Test
  void localNamespace_keepsPath() {
    assertThat(mapping.localNamespace("docker.io/tripleomaster")).isEqualTo("10.0.0.5:8787/tripleomaster");
    assertThat(mapping.localNamespace("tripleomaster")).isEqualTo("10.0.0.5:8787/tripleomaster");
    assertThat(mapping.localNamespace("registry.redhat.io/rhosp-rhel8")).isEqualTo("10.0.0.5:8787/rhosp-rhel8");
    assertThat(mapping.localNamespace("10.0.0.5:8787/tripleomaster")).isEqualTo("10.0.0.5:8787/tripleomaster");
  }
}
