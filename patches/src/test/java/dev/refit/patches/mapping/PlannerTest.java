package dev.refit.patches.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.image.TestImages;
import dev.refit.patches.image.TestLayer;
import dev.refit.patches.mapping.Plan.SkipReason;
import dev.refit.patches.source.FetchResult;
import dev.refit.patches.source.GerritClient;
import dev.refit.patches.source.GerritFake;
import dev.refit.patches.source.PatchFetcher;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.Location;
import dev.refit.settings.config.PatchPolicy;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.deploy.PatchSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans against real images in the embedded registry and changes from the Gerrit fake. */
class PlannerTest {
  private static final String NOVA = "I1111111111111111111111111111111111111111";
  private static final String CLIENT = "I2222222222222222222222222222222222222222";
  private static final String GONE = "I3333333333333333333333333333333333333333";
  private static final Location AT = Location.of(Path.of("deploy.yaml"), 9, 5);
  private static final byte[] PATCH = ("diff --git a/nova/a.py b/nova/a.py\n--- a/nova/a.py\n"
      + "+++ b/nova/a.py\n@@ -1 +1 @@\n-x\n+y\n").getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private InProcessRegistry registry;
  private TestImages images;
  private GerritFake gerrit;
  private LayerCache cache;
  private RegistryImageAccess access;

  @BeforeEach
  void start() throws Exception {
    registry = InProcessRegistry.start(Files.createDirectories(tmp.resolve("registry")));
    images = new TestImages(registry, Files.createDirectories(tmp.resolve("blobs")));
    gerrit = GerritFake.start();
    cache = new LayerCache(tmp.resolve("cache"));
    access = new RegistryImageAccess(
        s -> new RegistryImageAccess.Location(images.blocking(), "tripleoqueens/centos-binary-" + s, "current"),
        cache, tmp.resolve("pull"));
    // py2 images built 2018-05-01; a py3 image built 2018-06-01 (label only); novajoin on py2.
    TestLayer.Built py2 = images.layer(TestLayer.create().dir("usr/lib/python2.7/site-packages/nova")
        .file("usr/lib/python2.7/site-packages/nova/a.py", "x\n"));
    TestLayer.Built py3 = images.layer(TestLayer.create().dir("usr/lib/python3.6/site-packages/nova")
        .file("usr/lib/python3.6/site-packages/nova/a.py", "x\n")
        .dir("usr/lib/python3.6/site-packages/novaclient"));
    TestLayer.Built api = images.layer(TestLayer.create().file("etc/nova/api.conf", "a"));
    TestLayer.Built join = images.layer(TestLayer.create()
        .dir("usr/lib/python2.7/site-packages/novajoin"));
    images.push("tripleoqueens/centos-binary-nova-api", "current", "2018-05-01T00:00:00Z", null,
        List.of(py2, api));
    images.push("tripleoqueens/centos-binary-nova-compute", "current", "2018-05-01T00:00:00Z", null,
        List.of(py2));
    images.push("tripleoqueens/centos-binary-nova-conductor", "current", null, "2018-06-01",
        List.of(py3));
    images.push("tripleoqueens/centos-binary-novajoin-server", "current", "2018-05-01T00:00:00Z",
        null, List.of(join));
  }

  @AfterEach
  void stop() {
    gerrit.close();
    registry.close();
  }

  private List<String> catalog() {
    RefitConfig config = TestConfigs.with(PatchPolicy.STRICT);
    return ImageCatalog.fromRepositories(images.blocking().catalog(),
        config.upstream().namespaceFor("queens"), config.upstream().namePrefix(), config.images());
  }

  private FetchResult fetch(PatchSpec... specs) {
    return new PatchFetcher(GerritClient.of(gerrit.baseUrl()), tmp.resolve("patches"), 1 << 20)
        .fetchAll(List.of(specs));
  }

  @Test
  void discover_catalog_listsServicesUnderNamespaceAndPrefix() {
    assertThat(catalog()).containsExactly("nova-api", "nova-compute", "nova-conductor",
        "novajoin-server");
  }

  @Test
  void plan_openChange_targetsNovaImagesWithDetectedPy2AndPy3Paths() {
    gerrit.add("openstack/nova", "stable/queens", NOVA, "NEW", null,
        new GerritFake.Patchset(1, "a".repeat(40), PATCH));

    Plan plan = new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(NOVA, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    Plan.PatchPlan p = plan.patches().get(0);
    assertThat(p.targets()).extracting(Plan.Target::image, Plan.Target::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("nova-api", "usr/lib/python2.7/site-packages"),
        org.assertj.core.groups.Tuple.tuple("nova-compute", "usr/lib/python2.7/site-packages"),
        org.assertj.core.groups.Tuple.tuple("nova-conductor", "usr/lib/python3.6/site-packages"));
    assertThat(p.skipped()).isEmpty();
    assertThat(plan.images()).containsExactly("nova-api", "nova-compute", "nova-conductor");
  }

  @Test
  void plan_mergedChange_promotedOnlyInImagesBuiltAfterTheMerge() {
    gerrit.add("openstack/nova", "stable/queens", NOVA, "MERGED", "2018-05-15 09:30:00.000000000",
        new GerritFake.Patchset(1, "a".repeat(40), PATCH));

    Plan plan = new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(NOVA, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    Plan.PatchPlan p = plan.patches().get(0);
    assertThat(p.mergedAt()).isEqualTo("2018-05-15T09:30:00Z");
    assertThat(p.targets()).extracting(Plan.Target::image).containsExactly("nova-api", "nova-compute");
    assertThat(p.skipped()).singleElement().satisfies(s -> {
      assertThat(s.image()).isEqualTo("nova-conductor");
      assertThat(s.reason()).isEqualTo(SkipReason.PROMOTED);
    });
  }

  @Test
  void plan_abandonedChange_skippedForEveryMatchedImageWithWarning() {
    gerrit.add("openstack/nova", "stable/queens", GONE, "ABANDONED", null,
        new GerritFake.Patchset(1, "b".repeat(40), PATCH));

    Plan plan = new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(GONE, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    Plan.PatchPlan p = plan.patches().get(0);
    assertThat(p.status()).isEqualTo("ABANDONED");
    assertThat(p.targets()).isEmpty();
    assertThat(p.skipped()).extracting(Plan.Skip::reason).containsOnly(SkipReason.ABANDONED).hasSize(3);
    assertThat(plan.warnings()).singleElement().asString().contains("abandoned", GONE);
    assertThat(plan.images()).isEmpty();
  }

  @Test
  void plan_projectWithNoImage_strictFailsLenientWarns() {
    gerrit.add("openstack/cinder", "master", CLIENT, "NEW", null,
        new GerritFake.Patchset(1, "c".repeat(40), PATCH));
    FetchResult fetched = fetch(PatchSpec.gerrit(CLIENT, "openstack/cinder", "master", null, AT));

    assertThatThrownBy(() -> new Planner(TestConfigs.with(PatchPolicy.STRICT))
        .plan(fetched, catalog(), access)).isInstanceOf(MappingException.class)
        .hasMessageContaining("maps to no image");
    Plan plan = new Planner(TestConfigs.with(PatchPolicy.LENIENT)).plan(fetched, catalog(), access);
    assertThat(plan.patches().get(0).skipped()).extracting(Plan.Skip::reason)
        .containsExactly(SkipReason.NO_MATCH);
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("cinder"));
  }

  @Test
  void plan_packageMissingInImage_skippedWithPathNotFound() {
    gerrit.add("openstack/python-novaclient", "master", CLIENT, "NEW", null,
        new GerritFake.Patchset(1, "c".repeat(40), PATCH));
    Planner planner = new Planner(TestConfigs.with(PatchPolicy.STRICT,
        TestConfigs.override("python-novaclient", List.of("nova-api", "nova-conductor"), List.of(), null)));

    Plan plan = planner.plan(fetch(PatchSpec.gerrit(CLIENT, "openstack/python-novaclient", "master",
        null, AT)), catalog(), access);

    Plan.PatchPlan p = plan.patches().get(0);
    assertThat(p.targets()).extracting(Plan.Target::image, Plan.Target::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("nova-conductor", "usr/lib/python3.6/site-packages"));
    assertThat(p.targets().get(0).reason()).contains("override");
    assertThat(p.skipped()).extracting(Plan.Skip::image, Plan.Skip::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("nova-api", SkipReason.PATH_NOT_FOUND));
  }

  @Test
  void plan_sharedLayers_readOncePerDigestAcrossImages() {
    gerrit.add("openstack/nova", "stable/queens", NOVA, "NEW", null,
        new GerritFake.Patchset(1, "a".repeat(40), PATCH));

    new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(NOVA, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    // nova-api and nova-compute share the py2 layer: 3 distinct layers (py2, api, py3), 3 reads.
    assertThat(cache.totalIndexBuilds()).isEqualTo(3);
  }

  @Test
  void planTable_listsTargetsAndSkipsPerImage() {
    gerrit.add("openstack/nova", "stable/queens", NOVA, "MERGED", "2018-05-15 09:30:00.000000000",
        new GerritFake.Patchset(1, "a".repeat(40), PATCH));
    Plan plan = new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(NOVA, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    List<String> lines = PlanTable.write(plan).lines().toList();

    assertThat(lines.get(0)).startsWith("PATCH").contains("IMAGE", "PATH", "WHY");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("nova-api", "patch",
        "/usr/lib/python2.7/site-packages", "site-packages"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("nova-conductor", "skip promoted"));
  }

  @Test
  void planJson_stableFieldOrderAndRoundTrip() {
    gerrit.add("openstack/nova", "stable/queens", NOVA, "NEW", null,
        new GerritFake.Patchset(1, "a".repeat(40), PATCH));
    Plan plan = new Planner(TestConfigs.with(PatchPolicy.STRICT)).plan(
        fetch(PatchSpec.gerrit(NOVA, "openstack/nova", "stable/queens", null, AT)), catalog(), access);

    String json = PlanJson.write(plan);

    assertThat(json).startsWith("{\n  \"version\" : 1,\n  \"patches\" : [ {\n    \"id\" : \"" + NOVA);
    assertThat(json.indexOf("\"revision\"")).isLessThan(json.indexOf("\"status\""));
    assertThat(json.indexOf("\"targets\"")).isLessThan(json.indexOf("\"skipped\""));
    assertThat(json).contains("\"mergedAt\" : null").endsWith("}\n");
    assertThat(PlanJson.read(json)).isEqualTo(plan);
    assertThat(PlanJson.write(PlanJson.read(json))).isEqualTo(json);
  }
}
