package dev.refit.pipeline.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.testkit.RandomImage;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamFormsTest {
  private static final String TAG = "current-tripleo-rdo";

  @TempDir Path tmp;

  private static UpstreamConfig transport(UpstreamConfig.Kind kind, String ref) {
    return new UpstreamConfig(kind, ref, UpstreamConfig.DEFAULT_REGISTRY, null,
        UpstreamConfig.DEFAULT_NAME_PREFIX, TAG);
  }

  @Test
  void registryForm_dockerHostAndNamespace_isTheTripleoLayout() {
    UpstreamConfig u = UpstreamForms.registryForm(
        transport(UpstreamConfig.Kind.DOCKER, "docker://quay.io:443/tripleo/train"));

    assertThat(u.kind()).isEqualTo(UpstreamConfig.Kind.REGISTRY);
    assertThat(u.registry()).isEqualTo("quay.io:443");
    assertThat(UpstreamForms.imageRef(u, "queens", "nova-api").toString())
        .isEqualTo("quay.io:443/tripleo/train/centos-binary-nova-api:" + TAG);
  }

  @Test
  void registryForm_noHost_isDockerHub() {
    UpstreamConfig u = UpstreamForms.registryForm(
        transport(UpstreamConfig.Kind.DOCKER, "docker://tripleomaster"));

    assertThat(u.registry()).isEqualTo("docker.io");
    assertThat(u.localRepositoryFor("master", "keystone")).isEqualTo("tripleomaster/centos-binary-keystone");
  }

  @Test
  void unsupported_oneImageOrArchive_explainsWhatToWrite() {
    assertThat(UpstreamForms.unsupported(transport(UpstreamConfig.Kind.DOCKER,
        "docker://quay.io/tripleomaster/centos-binary-nova-api:1"))).get().asString()
        .contains("names one image").contains("docker://HOST/NAMESPACE");
    assertThat(UpstreamForms.unsupported(transport(UpstreamConfig.Kind.OCI, "oci:mirror:nova")))
        .get().asString().contains("write oci:DIR");
    assertThat(UpstreamForms.unsupported(transport(UpstreamConfig.Kind.OCI_ARCHIVE, "oci-archive:a.tar")))
        .get().asString().contains("skopeo copy oci-archive:a.tar oci:DIR");
    assertThat(UpstreamForms.unsupported(transport(UpstreamConfig.Kind.OCI, "oci:mirror"))).isEmpty();
    assertThat(UpstreamForms.unsupported(UpstreamConfig.defaults())).isEmpty();
  }

  @Test
  void imageRef_layout_namesTheImageByRepositoryAndTag() {
    UpstreamConfig u = transport(UpstreamConfig.Kind.OCI, "oci:" + tmp);

    assertThat(UpstreamForms.imageRef(u, "master", "nova-api").toString())
        .isEqualTo("oci:" + tmp + ":tripleomaster/centos-binary-nova-api:" + TAG);
  }

  @Test
  void discover_layout_listsServicesOfTheTagFromFullHostAndShortNames() {
    OciLayout layout = OciLayout.create(tmp.resolve("mirror"));
    RandomImage.intoLayout(layout, "tripleomaster/centos-binary-nova-api:" + TAG, 100);
    RandomImage.intoLayout(layout, "docker.io/tripleomaster/centos-binary-keystone:" + TAG, 100);
    RandomImage.intoLayout(layout, "centos-binary-glance-api:" + TAG, 100);
    RandomImage.intoLayout(layout, "tripleomaster/centos-binary-heat-api:other", 100);
    RandomImage.intoLayout(layout, "tripleotrain/centos-binary-cinder-api:" + TAG, 100);

    List<String> services = UpstreamForms.discover(
        transport(UpstreamConfig.Kind.OCI, "oci:" + tmp.resolve("mirror")), "master",
        ImagesConfig.defaults());

    assertThat(services).containsExactly("glance-api", "keystone", "nova-api");
  }
}
