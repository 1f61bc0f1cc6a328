package dev.refit.patches.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.settings.config.PatchPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathDetectorTest {
  @TempDir Path root;
  private final PathDetector detector = new PathDetector(TestConfigs.with(PatchPolicy.STRICT));

  private void mkdir(String rel) throws IOException {
    Files.createDirectories(root.resolve(rel));
  }

  @Test
  void pythonPackage_projectNames_mapToTopLevelPackages() {
    assertThat(PathDetector.pythonPackage("openstack/nova")).isEqualTo("nova");
    assertThat(PathDetector.pythonPackage("openstack/python-novaclient")).isEqualTo("novaclient");
    assertThat(PathDetector.pythonPackage("openstack/tripleo-common")).isEqualTo("tripleo_common");
    assertThat(PathDetector.pythonPackage("openstack/oslo.config")).isEqualTo("oslo_config");
  }

  @Test
  void detect_py2Layout_findsSitePackages() throws IOException {
    mkdir("usr/lib/python2.7/site-packages/nova");
    mkdir("usr/lib/python2.7/site-packages/novaclient");

    assertThat(detector.detect("openstack/nova", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("usr/lib/python2.7/site-packages"));
  }

  @Test
  void detect_py3Layout_findsSitePackages() throws IOException {
    mkdir("usr/lib/python3.6/site-packages/tripleo_common");
    mkdir("usr/lib/python2.7/site-packages/other");

    assertThat(detector.detect("openstack/tripleo-common", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("usr/lib/python3.6/site-packages"));
  }

  @Test
  void detect_debianDistPackagesUnderLocal_found() throws IOException {
    mkdir("usr/local/lib/python3/dist-packages/novaclient");

    assertThat(detector.detect("openstack/python-novaclient", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("usr/local/lib/python3/dist-packages"));
  }

  @Test
  void detect_bothPythons_prefersNewestAndSaysSo() throws IOException {
    mkdir("usr/lib/python2.7/site-packages/nova");
    mkdir("usr/lib/python3.6/site-packages/nova");

    assertThat(detector.detect("nova", DirectoryFileSource.of(root))).hasValueSatisfying(d -> {
      assertThat(d.path()).isEqualTo("usr/lib/python3.6/site-packages");
      assertThat(d.reason()).contains("python2.7");
    });
  }

  @Test
  void detect_singleModuleProject_found() throws IOException {
    mkdir("usr/lib64/python3.9/site-packages");
    Files.writeString(root.resolve("usr/lib64/python3.9/site-packages/six.py"), "x");

    assertThat(detector.detect("openstack/six", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("usr/lib64/python3.9/site-packages"));
  }

  @Test
  void detect_packageAbsent_empty() throws IOException {
    mkdir("usr/lib/python3.6/site-packages/novajoin");

    assertThat(detector.detect("nova", DirectoryFileSource.of(root))).isEmpty();
  }

  @Test
  void detect_puppetAndHeatTemplates_fixedDirsWhenPresent() throws IOException {
    mkdir("etc/puppet/modules/nova");
    mkdir("usr/share/openstack-tripleo-heat-templates");

    assertThat(detector.detect("openstack/puppet-nova", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("etc/puppet/modules/nova"));
    assertThat(detector.detect("openstack/tripleo-heat-templates", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("usr/share/openstack-tripleo-heat-templates"));
    assertThat(detector.detect("openstack/puppet-neutron", DirectoryFileSource.of(root))).isEmpty();
  }

  @Test
  void detect_override_wins() {
    PathDetector withOverride = new PathDetector(TestConfigs.with(PatchPolicy.STRICT,
        TestConfigs.override("nova", List.of(), List.of(), "/opt/nova/lib")));

    assertThat(withOverride.detect("openstack/nova", DirectoryFileSource.of(root)))
        .hasValueSatisfying(d -> assertThat(d.path()).isEqualTo("opt/nova/lib"));
  }
}
