package dev.refit.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.pipeline.diff.Change;
import dev.refit.pipeline.diff.ConfigDiff;
import dev.refit.pipeline.diff.Entry;
import dev.refit.pipeline.diff.PathDiff;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How a base→apex diff is held against the re-applied patches, case by case. */
class ComparisonTest {
  private static final Digest NEW = Digest.sha256("new\n".getBytes(StandardCharsets.UTF_8));
  private static final Digest OLD = Digest.sha256("old\n".getBytes(StandardCharsets.UTF_8));
  private static final ApexLabels.Declared P1 = new ApexLabels.Declared("I1", "FILE", null, NEW);

  private static ExpectedChanges.Result expected(Map<String, String> deleted,
      ExpectedChanges.File... files) {
    TreeMap<String, ExpectedChanges.File> byPath = new TreeMap<>();
    for (ExpectedChanges.File f : files) {
      byPath.put(f.path(), f);
    }
    return new ExpectedChanges.Result(byPath, new TreeMap<>(deleted), List.of());
  }

  private static ExpectedChanges.File file(String path, int mode) {
    return new ExpectedChanges.File(path, mode, 0, 0, 4, NEW, "I1");
  }

  private static Entry entry(String type, int mode, Digest sha) {
    return new Entry(type, mode, 0, 0, sha == null ? 0 : 4, null, sha == null ? null : sha.toString());
  }

  private static Comparison.Outcome compare(ExpectedChanges.Result expected, List<PathDiff> paths,
      List<ConfigDiff> config) {
    return Comparison.compare(expected, paths, config, List.of(P1), f -> false);
  }

  @Test
  void patchedFile_asReapplied_isExplained_andANewParentDirectoryToo() {
    var exp = expected(Map.of(), file("opt/app/new.py", 0644));
    var out = compare(exp, List.of(
        new PathDiff("/opt/app", Change.ADDED, null, entry("dir", 0755, null), List.of(), null),
        new PathDiff("/opt/app/new.py", Change.ADDED, null, entry("file", 0644, NEW), List.of(), null)),
        List.of());

    assertThat(out.unexplained()).isEmpty();
    assertThat(out.explained()).extracting(VerifyReport.Explained::path, VerifyReport.Explained::patch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/opt/app", "I1"),
            org.assertj.core.groups.Tuple.tuple("/opt/app/new.py", "I1"));
  }

  @Test
  void extraDirectory_otherMode_otherContent_andUntouchedChange_areEachNamed() {
    var exp = expected(Map.of(), file("opt/app/a.py", 0644), file("opt/app/b.py", 0644));
    var out = compare(exp, List.of(
        new PathDiff("/opt/app/a.py", Change.CHANGED, entry("file", 0644, OLD),
            entry("file", 0755, NEW), List.of("mode", "content"), null),
        new PathDiff("/opt/app/b.py", Change.CHANGED, entry("file", 0644, OLD),
            entry("file", 0644, OLD), List.of("size"), null),
        new PathDiff("/opt/other", Change.ADDED, null, entry("dir", 0755, null), List.of(), null),
        new PathDiff("/etc/passwd", Change.CHANGED, entry("file", 0644, OLD),
            entry("file", 0644, NEW), List.of("content"), null)),
        List.of());

    assertThat(out.explained()).isEmpty();
    assertThat(out.unexplained()).extracting(Finding::kind, Finding::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.DIFFERS, "/opt/app/a.py"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.DIFFERS, "/opt/app/b.py"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.EXTRA, "/opt/other"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.CHANGED, "/etc/passwd"));
    assertThat(out.unexplained().get(0).detail()).contains("mode 0755, re-applied 0644")
        .doesNotContain("content");
    assertThat(out.unexplained().get(1).detail()).contains("content " + OLD + ", re-applied " + NEW);
  }

  @Test
  void deletions_explainTheirSubtree_andAMissingOneIsNamed() {
    var exp = expected(Map.of("opt/gone", "I1", "opt/kept.py", "I1"));
    var out = compare(exp, List.of(
        new PathDiff("/opt/gone", Change.REMOVED, entry("dir", 0755, null), null, List.of(), null),
        new PathDiff("/opt/gone/x.py", Change.REMOVED, entry("file", 0644, OLD), null, List.of(), null),
        new PathDiff("/opt/else.py", Change.REMOVED, entry("file", 0644, OLD), null, List.of(), null)),
        List.of());

    assertThat(out.explained()).extracting(VerifyReport.Explained::path, VerifyReport.Explained::patch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/opt/gone", "I1"),
            org.assertj.core.groups.Tuple.tuple("/opt/gone/x.py", "I1"));
    assertThat(out.unexplained()).extracting(Finding::kind, Finding::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.REMOVED, "/opt/else.py"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.MISSING, "/opt/kept.py"));
  }

  @Test
  void patchedFileLeftAsInTheBase_isMissing_unlessThePatchLeavesItSo() {
    var exp = expected(Map.of(), file("opt/a.py", 0644));

    assertThat(compare(exp, List.of(), List.of()).unexplained())
        .extracting(Finding::kind, Finding::subject)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Finding.Kind.MISSING, "/opt/a.py"));
    assertThat(Comparison.compare(exp, List.of(), List.of(), List.of(P1), f -> true).unexplained())
        .isEmpty();
  }

  @Test
  void config_refitLabelsAndTheDockerBuildersPatchLabelsPass_anythingElseIsNamed() {
    ObjectNode base = labels(Map.of("name", "nova"));
    ObjectNode apex = labels(Map.of("name", "nova", Provenance.PATCHES, "[]",
        Provenance.BUILD_KEY, "sha256:x", "dev.refit.patch.1.id", "I1",
        "dev.refit.patch.1.source", "FILE", "dev.refit.patch.1.sha256", NEW.toString()));
    assertThat(compare(expected(Map.of()), List.of(),
        List.of(new ConfigDiff("Labels", base, apex))).unexplained()).isEmpty();

    ObjectNode bad = labels(Map.of("name", "evil", "dev.refit.patch.1.id", "I2",
        "dev.refit.patch.2.id", "I1"));
    JsonNode user = JsonNodeFactory.instance.textNode("root");
    var out = compare(expected(Map.of()), List.of(), List.of(
        new ConfigDiff("User", null, user), new ConfigDiff("Labels", base, bad)));
    assertThat(out.unexplained()).extracting(Finding::kind, Finding::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.CONFIG, "User"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.CONFIG, "Labels.dev.refit.patch.1.id"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.CONFIG, "Labels.dev.refit.patch.2.id"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.CONFIG, "Labels.name"));
  }

  private static ObjectNode labels(Map<String, String> labels) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    new TreeMap<>(labels).forEach(o::put);
    return o;
  }
}
