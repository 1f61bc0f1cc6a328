package dev.refit.patches.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.settings.Location;
import dev.refit.settings.config.PatchPolicy;
import dev.refit.settings.deploy.PatchSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectImageMapperTest {
  private static final List<String> IMAGES = List.of("nova-api", "nova-compute", "nova-conductor",
      "nova-scheduler", "nova-libvirt", "novajoin-server", "novajoin-notifier", "neutron-server",
      "neutron-openvswitch-agent", "nova", "heat-api", "heat-api-cfn");

  private final ProjectImageMapper strict = new ProjectImageMapper(TestConfigs.with(PatchPolicy.STRICT));

  @Test
  void map_nova_matchesNovaServicesOnWordBoundaryNeverNovajoin() {
    ImageMatch m = strict.map("openstack/nova", IMAGES);

    assertThat(m.project()).isEqualTo("nova");
    assertThat(m.images()).containsExactly("nova", "nova-api", "nova-compute", "nova-conductor",
        "nova-libvirt", "nova-scheduler");
  }

  @Test
  void map_novajoin_matchesOnlyNovajoin() {
    assertThat(strict.map("openstack/novajoin", IMAGES).images())
        .containsExactly("novajoin-notifier", "novajoin-server");
  }

  @Test
  void map_heat_doesNotMatchHeatApiForHeatApiProjectPrefixOnly() {
    assertThat(strict.map("heat", IMAGES).images()).containsExactly("heat-api", "heat-api-cfn");
    assertThat(strict.map("heat-api", IMAGES).images()).containsExactly("heat-api", "heat-api-cfn");
    assertThat(strict.map("heat-ap", IMAGES).images()).isEmpty();
  }

  @Test
  void map_fullRepositoryNames_stripNamespaceNamePrefixAndTag() {
    List<String> repos = List.of("docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo",
        "tripleoqueens/centos-binary-novajoin-server", "centos-binary-nova-compute");

    assertThat(strict.map("openstack/nova", repos).images()).containsExactly("nova-api", "nova-compute");
  }

  @Test
  void map_overrides_addAndRemoveImages() {
    ProjectImageMapper mapper = new ProjectImageMapper(TestConfigs.with(PatchPolicy.STRICT,
        TestConfigs.override("nova", List.of("placement-api"), List.of("nova-libvirt"), null)));

    ImageMatch m = mapper.map("openstack/nova", IMAGES);

    assertThat(m.images()).contains("placement-api", "nova-api").doesNotContain("nova-libvirt");
    assertThat(m.added()).containsExactly("placement-api");
    assertThat(m.removed()).containsExactly("nova-libvirt");
  }

  @Test
  void checkMatched_noImageUnderStrict_failsWithWhatToDo() {
    PatchSpec spec = PatchSpec.gerrit("I1", "openstack/cinder", "master", null,
        Location.of(Path.of("deploy.yaml"), 4, 7));
    ImageMatch m = strict.map("openstack/cinder", IMAGES);

    assertThatThrownBy(() -> strict.checkMatched(spec, m, IMAGES.size()))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("maps to no image").hasMessageContaining("deploy.yaml:4:7")
        .hasMessageContaining("overrides.cinder.add");
  }

  @Test
  void checkMatched_noImageUnderLenient_warns() {
    ProjectImageMapper lenient = new ProjectImageMapper(TestConfigs.with(PatchPolicy.LENIENT));
    PatchSpec spec = PatchSpec.gerrit("I1", "openstack/cinder", "master", null, Location.of(Path.of("d")));

    assertThat(lenient.checkMatched(spec, lenient.map("cinder", IMAGES), IMAGES.size()))
        .hasValueSatisfying(w -> assertThat(w).contains("cinder", "lenient"));
    assertThat(lenient.checkMatched(spec, lenient.map("nova", IMAGES), IMAGES.size())).isEmpty();
  }
}
