package dev.refit.patches.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.settings.Location;
import dev.refit.settings.deploy.PatchSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchFetcherTest {
  private static final String SHA1 = "1111111111111111111111111111111111111111";
  private static final String SHA2 = "2222222222222222222222222222222222222222";
  private static final String CID = "I0123456789abcdef0123456789abcdef01234567";
  private static final byte[] PS1 = patch("old fix");
  private static final byte[] PS2 = patch("new fix");
  private static final Location AT = Location.of(Path.of("deploy.yaml"), 7, 5);

  @TempDir Path work;
  private GerritFake gerrit;
  private PatchFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    gerrit = GerritFake.start();
    fetcher = new PatchFetcher(GerritClient.of(gerrit.baseUrl()), work.resolve("patches"), 1 << 20);
  }

  @AfterEach
  void stop() {
    gerrit.close();
  }

  private static byte[] patch(String msg) {
    return ("From 0000 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] " + msg + "\n\n---\n"
        + "diff --git a/nova/a.py b/nova/a.py\n--- a/nova/a.py\n+++ b/nova/a.py\n@@ -1 +1 @@\n"
        + "-x = 1\n+x = 2\n").getBytes(StandardCharsets.UTF_8);
  }

  private PatchSpec spec(String revision) {
    return PatchSpec.gerrit(CID, "openstack/nova", "stable/queens", revision, AT);
  }

  @Test
  void fetch_newChange_downloadsCurrentRevisionDecodedWithSha256() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1), new GerritFake.Patchset(2, SHA2, PS2));

    FetchResult result = fetcher.fetchAll(List.of(spec(null)));

    assertThat(result.skipped()).isEmpty();
    FetchedPatch p = result.patches().get(0);
    assertThat(p.revision()).isEqualTo(SHA2);
    assertThat(p.status()).isEqualTo("NEW");
    assertThat(p.mergedAt()).isNull();
    assertThat(Files.readAllBytes(p.file())).isEqualTo(PS2);
    assertThat(p.sha256()).isEqualTo(Digest.sha256(PS2));
    assertThat(gerrit.hits("/changes/openstack%2Fnova~stable%2Fqueens~" + CID)).isEqualTo(2);
  }

  @Test
  void fetch_pinnedPatchsetNumber_fetchesThatPatchset() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1), new GerritFake.Patchset(2, SHA2, PS2));

    FetchedPatch p = fetcher.fetchAll(List.of(spec("1"))).patches().get(0);

    assertThat(p.revision()).isEqualTo(SHA1);
    assertThat(Files.readAllBytes(p.file())).isEqualTo(PS1);
  }

  @Test
  void fetch_pinnedSha_fetchesThatCommit() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1), new GerritFake.Patchset(2, SHA2, PS2));

    FetchedPatch p = fetcher.fetchAll(List.of(spec(SHA1))).patches().get(0);

    assertThat(p.revision()).isEqualTo(SHA1);
    assertThat(Files.readAllBytes(p.file())).isEqualTo(PS1);
  }

  @Test
  void fetch_pinnedPatchsetMissing_failsNamingIt() {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));

    assertThatThrownBy(() -> fetcher.fetchAll(List.of(spec("9"))))
        .isInstanceOf(GerritChangeNotFoundException.class)
        .hasMessageContaining("no patchset 9").hasMessageContaining(CID);
  }

  @Test
  void fetch_mergedChange_returnsMergedAtFromSubmitted() {
    gerrit.add("openstack/nova", "stable/queens", CID, "MERGED", "2018-05-01 12:00:00.000000000",
        new GerritFake.Patchset(1, SHA1, PS1));

    FetchedPatch p = fetcher.fetchAll(List.of(spec(null))).patches().get(0);

    assertThat(p.status()).isEqualTo("MERGED");
    assertThat(p.mergedAt()).isEqualTo(Instant.parse("2018-05-01T12:00:00Z"));
    assertThat(p.promotedIn(Instant.parse("2018-05-02T00:00:00Z"))).isTrue();
    assertThat(p.promotedIn(Instant.parse("2018-04-30T00:00:00Z"))).isFalse();
    assertThat(p.promotedIn(null)).isFalse();
  }

  @Test
  void fetch_abandonedChange_skippedWithWarningAndNotDownloaded() {
    gerrit.add("openstack/nova", "stable/queens", CID, "ABANDONED", null,
        new GerritFake.Patchset(1, SHA1, PS1));

    FetchResult result = fetcher.fetchAll(List.of(spec(null)));

    assertThat(result.patches()).isEmpty();
    assertThat(result.skipped()).singleElement().satisfies(s -> {
      assertThat(s.status()).isEqualTo("ABANDONED");
      assertThat(s.warning()).contains("abandoned", CID, "deploy.yaml:7:5");
    });
    assertThat(gerrit.patchDownloads()).isZero();
  }

  @Test
  void fetch_sameChangeTwice_downloadsOnce() {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));

    FetchResult result = fetcher.fetchAll(List.of(spec(null), spec(null)));

    assertThat(result.patches()).hasSize(2);
    assertThat(result.patches().get(0).file()).isEqualTo(result.patches().get(1).file());
    assertThat(gerrit.patchDownloads()).isEqualTo(1);
    assertThat(gerrit.hits("/changes/openstack%2Fnova~stable%2Fqueens~" + CID)).isEqualTo(2);
  }

  @Test
  void fetch_unknownChange_failsNamingChangeProjectBranchUrlAndWritesNothing() throws IOException {
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(spec(null))))
        .isInstanceOf(GerritChangeNotFoundException.class)
        .hasMessageContaining(CID).hasMessageContaining("openstack/nova")
        .hasMessageContaining("stable/queens")
        .hasMessageContaining(gerrit.baseUrl() + "/changes/openstack%2Fnova~stable%2Fqueens~" + CID)
        .hasMessageContaining("Not found")
        .hasMessageContaining("deploy.yaml:7:5");
    assertThat(filesUnder(work)).isEmpty();
  }

  @Test
  void fetch_laterChangeNotFound_removesEarlierDownloads() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));
    PatchSpec missing = PatchSpec.gerrit("I9999999999999999999999999999999999999999",
        "openstack/nova", "stable/queens", null, AT);

    assertThatThrownBy(() -> fetcher.fetchAll(List.of(spec(null), missing)))
        .isInstanceOf(GerritChangeNotFoundException.class);
    assertThat(gerrit.patchDownloads()).isEqualTo(1);
    assertThat(filesUnder(work)).isEmpty();
  }

  @Test
  void fetch_patchOverLimit_refusedAndNoFileLeft() throws IOException {
    byte[] big = new byte[4096];
    java.util.Arrays.fill(big, (byte) 'a');
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, big));
    PatchFetcher small = new PatchFetcher(GerritClient.of(gerrit.baseUrl()), work.resolve("p"), 1000);

    assertThatThrownBy(() -> small.fetchAll(List.of(spec(null))))
        .isInstanceOf(PatchSourceException.class).hasMessageContaining("larger than the limit of 1000");
    assertThat(filesUnder(work)).isEmpty();
  }

  @Test
  void fetch_gerritUnreachable_failsNamingUrl() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PatchFetcher down = new PatchFetcher(GerritClient.of(java.net.URI.create("http://127.0.0.1:" + port)),
        work, 1000);

    assertThatThrownBy(() -> down.fetchAll(List.of(spec(null))))
        .isInstanceOf(PatchSourceException.class)
        .hasMessageContaining("could not reach Gerrit at http://127.0.0.1:" + port + "/changes/")
        .hasMessageContaining("gerrit_url");
  }

  @Test
  void fetch_noGerritConfigured_failsClearly() {
    PatchFetcher none = new PatchFetcher(null, work, 1000);
    assertThatThrownBy(() -> none.fetchAll(List.of(spec(null))))
        .hasMessageContaining("no Gerrit URL is configured");
  }

  @Test
  void fetch_localPatchFile_checksummedInPlace() throws IOException {
    Path f = Files.write(work.resolve("fix.diff"), PS1);

    FetchedPatch p = fetcher.fetchAll(List.of(PatchSpec.file("fix", "nova", f, AT))).patches().get(0);

    assertThat(p.file()).isEqualTo(f);
    assertThat(p.status()).isEqualTo(FetchedPatch.STATUS_FILE);
    assertThat(p.sha256()).isEqualTo(Digest.sha256(PS1));
  }

  @Test
  void fetch_missingPatchFile_failsWithLocation() {
    assertThatThrownBy(() -> fetcher.fetchAll(
        List.of(PatchSpec.file("x", "nova", work.resolve("nope.patch"), AT))))
        .isInstanceOf(PatchSourceException.class)
        .hasMessageContaining("nope.patch").hasMessageContaining("deploy.yaml:7:5");
  }

  @Test
  void fetch_seriesFile_returnsPatchesInSeriesOrderSkippingComments() throws IOException {
    Files.write(work.resolve("0002-b.patch"), PS2);
    Files.write(work.resolve("0001-a.patch"), PS1);
    Path series = Files.writeString(work.resolve("series"),
        "# kolla patches\n\n0002-b.patch -p1\n0001-a.patch # the first\n");

    List<FetchedPatch> ps = fetcher.fetchAll(List.of(PatchSpec.file("s", "nova", series, AT))).patches();

    assertThat(ps).extracting(p -> p.file().getFileName().toString())
        .containsExactly("0002-b.patch", "0001-a.patch");
    assertThat(ps).extracting(p -> p.spec().id()).containsExactly("0002-b.patch", "0001-a.patch");
    assertThat(ps.get(1).sha256()).isEqualTo(Digest.sha256(PS1));
  }

  @Test
  void fetch_seriesNamingMissingPatch_fails() throws IOException {
    Path series = Files.writeString(work.resolve("series"), "gone.patch\n");
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(PatchSpec.file("s", "nova", series, AT))))
        .hasMessageContaining("gone.patch").hasMessageContaining("does not exist");
  }

  @Test
  void fetch_tree_digestChangesWithContent() throws IOException {
    Path tree = Files.createDirectories(work.resolve("install/usr/bin")).getParent().getParent();
    Files.writeString(tree.resolve("usr/bin/tool"), "v1");
    PatchSpec spec = PatchSpec.tree("install", "nova", tree, AT);
    Digest first = fetcher.fetchAll(List.of(spec)).patches().get(0).sha256();
    Files.writeString(tree.resolve("usr/bin/tool"), "v2");
    FetchedPatch second = fetcher.fetchAll(List.of(spec)).patches().get(0);

    assertThat(second.status()).isEqualTo(FetchedPatch.STATUS_TREE);
    assertThat(second.file()).isEqualTo(tree);
    assertThat(second.sha256()).isNotEqualTo(first);
  }

  @Test
  void fetch_rerunSameRevision_reusesCachedFileWithoutDownload() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));
    fetcher.fetchAll(List.of(spec(null)));

    PatchFetcher rerun = new PatchFetcher(GerritClient.of(gerrit.baseUrl()), work.resolve("patches"), 1 << 20);
    FetchedPatch p = rerun.fetchAll(List.of(spec(null))).patches().get(0);

    assertThat(gerrit.patchDownloads()).isEqualTo(1);
    assertThat(p.revision()).isEqualTo(SHA1);
    assertThat(p.sha256()).isEqualTo(Digest.sha256(PS1));
    assertThat(work.resolve("patches").resolve(PatchIndex.FILE_NAME)).exists();
  }

  @Test
  void fetch_rerunNewRevisionOrTamperedFile_downloadsAgain() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));
    Path first = fetcher.fetchAll(List.of(spec(null))).patches().get(0).file();
    Files.writeString(first, "tampered");
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1), new GerritFake.Patchset(2, SHA2, PS2));

    PatchFetcher rerun = new PatchFetcher(GerritClient.of(gerrit.baseUrl()), work.resolve("patches"), 1 << 20);
    FetchedPatch latest = rerun.fetchAll(List.of(spec(null))).patches().get(0);
    FetchedPatch repaired = rerun.fetchAll(List.of(spec(SHA1))).patches().get(0);

    assertThat(latest.revision()).isEqualTo(SHA2);
    assertThat(Files.readAllBytes(latest.file())).isEqualTo(PS2);
    assertThat(Files.readAllBytes(repaired.file())).isEqualTo(PS1);
    assertThat(gerrit.patchDownloads()).isEqualTo(3);
  }

  @Test
  void offline_afterOnlineRun_reusesLastRevisionWithoutGerrit() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "MERGED", "2018-05-01 12:00:00.000000000",
        new GerritFake.Patchset(1, SHA1, PS1), new GerritFake.Patchset(2, SHA2, PS2));
    fetcher.fetchAll(List.of(spec(null), spec("1")));
    gerrit.close();

    PatchFetcher offline = PatchFetcher.offline(work.resolve("patches"), 1 << 20);
    List<FetchedPatch> ps = offline.fetchAll(List.of(spec(null), spec("1"), spec(SHA1))).patches();

    assertThat(ps).extracting(FetchedPatch::revision).containsExactly(SHA2, SHA1, SHA1);
    assertThat(Files.readAllBytes(ps.get(0).file())).isEqualTo(PS2);
    assertThat(ps.get(0).sha256()).isEqualTo(Digest.sha256(PS2));
    assertThat(ps.get(0).mergedAt()).isEqualTo(Instant.parse("2018-05-01T12:00:00Z"));
    assertThat(ps.get(0).status()).isEqualTo("MERGED");
  }

  @Test
  void offline_emptyCache_failsListingEveryMissingChange() throws IOException {
    Path f = Files.write(work.resolve("fix.diff"), PS1);
    PatchSpec other = PatchSpec.gerrit("I9999999999999999999999999999999999999999",
        "openstack/neutron", null, "3", Location.of(Path.of("common.yaml"), 2, 3));
    PatchFetcher offline = PatchFetcher.offline(work.resolve("patches"), 1 << 20);

    assertThatThrownBy(() -> offline.fetchAll(List.of(spec(null), PatchSpec.file("fix", "nova", f, AT), other)))
        .isInstanceOf(PatchCacheMissException.class)
        .satisfies(e -> assertThat(((PatchCacheMissException) e).missing()).containsExactly(
            "Gerrit change " + CID + " of openstack/nova (branch stable/queens), configured at deploy.yaml:7:5",
            "Gerrit change I9999999999999999999999999999999999999999 of openstack/neutron (branch"
                + " master, revision 3), configured at common.yaml:2:3"));
    assertThat(gerrit.hits("/")).isZero();
  }

  @Test
  void offline_cachedFileTampered_isMissing() throws IOException {
    gerrit.add("openstack/nova", "stable/queens", CID, "NEW", null,
        new GerritFake.Patchset(1, SHA1, PS1));
    Path file = fetcher.fetchAll(List.of(spec(null))).patches().get(0).file();
    Files.writeString(file, "tampered");

    assertThatThrownBy(() -> PatchFetcher.offline(work.resolve("patches"), 1 << 20)
        .fetchAll(List.of(spec(null))))
        .isInstanceOf(PatchCacheMissException.class).hasMessageContaining(CID);
  }

  @Test
  void offline_abandonedWhenLastSeen_skippedAgain() {
    gerrit.add("openstack/nova", "stable/queens", CID, "ABANDONED", null,
        new GerritFake.Patchset(1, SHA1, PS1));
    fetcher.fetchAll(List.of(spec(null)));

    FetchResult r = PatchFetcher.offline(work.resolve("patches"), 1 << 20).fetchAll(List.of(spec(null)));

    assertThat(r.patches()).isEmpty();
    assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("ABANDONED"));
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
