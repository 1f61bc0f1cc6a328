package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.InvalidRepositoryNameException;
import dev.refit.registry.store.InvalidTagException;
import dev.refit.registry.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsManifestsTest {
  @TempDir Path root;
  private FsStore store;

  @BeforeEach
  void open() {
    store = FsStore.open(root, StoreOptions.defaults());
  }

  @Test
  void put_thenGetByTagAndDigest_returnsExactBytesAndMediaType() {
    // Odd whitespace and key order: the store must not re-serialise.
    byte[] bytes =
        "{ \"schemaVersion\" : 2,\n\t\"layers\":[], \"config\":{\"digest\":\"sha256:x\"} }\n"
            .getBytes(StandardCharsets.UTF_8);
    RawManifest m = RawManifest.of(bytes, MediaType.DOCKER_MANIFEST);
    store.put("library/ubuntu", m, "22.04");

    RawManifest byTag = store.get("library/ubuntu", "22.04").orElseThrow();
    RawManifest byDigest = store.get("library/ubuntu", m.digest().toString()).orElseThrow();

    assertThat(byTag.bytes()).isEqualTo(bytes);
    assertThat(byTag.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(byTag.digest()).isEqualTo(m.digest());
    assertThat(byDigest).isEqualTo(byTag);
    assertThat(store.stat(m.digest())).isPresent();
  }

  @Test
  void put_tagWriteFails_leavesNoRevisionBehind() throws Exception {
    RawManifest m = Fixtures.image(Fixtures.blob(store, "{}"), List.of(), null);
    // A file where the tags directory belongs makes the last step, the tag write, fail.
    Files.createDirectories(store.layout().tagsDir("app").getParent());
    Files.writeString(store.layout().tagsDir("app"), "in the way");

    assertThatThrownBy(() -> store.put("app", m, "v1")).isInstanceOf(StoreException.class);

    assertThat(store.manifests().revisions("app")).isEmpty();
    assertThat(store.get("app", m.digest().toString())).isEmpty();
  }

  @Test
  void put_sha512Manifest_roundTrips() {
    RawManifest m =
        RawManifest.of("{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8),
            MediaType.OCI_MANIFEST, Digest.Algorithm.SHA512);
    store.put("a", m, null);
    assertThat(store.get("a", m.digest().toString())).contains(m);
    assertThat(store.tags("a")).isEmpty();
  }

  @Test
  void get_unknownRepoTagOrDigest_isEmpty() {
    RawManifest m = Fixtures.pushImage(store, "a", "v1", 1);
    assertThat(store.get("nope", "v1")).isEmpty();
    assertThat(store.get("a", "v2")).isEmpty();
    assertThat(store.get("a", Digest.sha256(new byte[] {1}).toString())).isEmpty();
    // Present in the blob store but not a revision of repo b: not served there.
    assertThat(store.get("b", m.digest().toString())).isEmpty();
    assertThat(store.tags("nope")).isEmpty();
  }

  @Test
  void tags_listedSortedLexically() {
    RawManifest m = Fixtures.pushImage(store, "r", "b", 1);
    for (String t : List.of("latest", "B", "a", "1.0", "_x", "a.b-c")) {
      store.put("r", m, t);
    }
    assertThat(store.tags("r")).containsExactly("1.0", "B", "_x", "a", "a.b-c", "b", "latest");
  }

  @Test
  void put_invalidTagOrName_rejectedBeforeWriting() {
    RawManifest m = Fixtures.image(Digest.sha256(new byte[] {1}), List.of(), null);
    assertThatThrownBy(() -> store.put("r", m, ".hidden")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> store.put("r", m, "a/b")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> store.put("r", m, "x".repeat(129)))
        .isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> store.put("../r", m, "t"))
        .isInstanceOf(InvalidRepositoryNameException.class);
    assertThatThrownBy(() -> store.get("r", "../../x")).isInstanceOf(InvalidTagException.class);
    assertThat(store.stat(m.digest())).isEmpty();
    assertThat(store.repositories()).isEmpty();
  }

  @Test
  void put_concurrentPutsOfOneTag_lastWinsAndNeverTorn() throws Exception {
    List<RawManifest> candidates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      candidates.add(Fixtures.pushImage(store, "race", null, i));
    }
    Set<Digest> allowed = ConcurrentHashMap.newKeySet();
    candidates.forEach(m -> allowed.add(m.digest()));
    store.put("race", candidates.get(0), "latest");

    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(candidates.size() + 1);
    try {
      Future<Integer> reader =
          pool.submit(
              () -> {
                int reads = 0;
                while (!stop.get()) {
                  RawManifest seen = store.get("race", "latest").orElseThrow();
                  assertThat(allowed).contains(seen.digest());
                  reads++;
                }
                return reads;
              });
      List<Future<?>> writers = new ArrayList<>();
      for (RawManifest m : candidates) {
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    store.put("race", m, "latest");
                  }
                }));
      }
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      stop.set(true);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    } finally {
      pool.shutdownNow();
    }
    String onDisk =
        Files.readString(root.resolve("repositories/race/_manifests/tags/latest"));
    assertThat(allowed).contains(Digest.parse(onDisk));
    assertThat(store.tags("race")).containsExactly("latest");
  }

  @Test
  void delete_byDigest_removesRevisionAndTagsPointingAtIt() {
    RawManifest one = Fixtures.pushImage(store, "r", "one", 1);
    store.put("r", one, "also-one");
    RawManifest two = Fixtures.pushImage(store, "r", "two", 2);

    assertThat(store.delete("r", one.digest().toString())).isTrue();

    assertThat(store.get("r", one.digest().toString())).isEmpty();
    assertThat(store.get("r", "one")).isEmpty();
    assertThat(store.tags("r")).containsExactly("two");
    assertThat(store.get("r", "two")).contains(two);
    assertThat(store.delete("r", one.digest().toString())).isFalse();
  }

  @Test
  void delete_byTag_removesOnlyTheTag() {
    RawManifest m = Fixtures.pushImage(store, "r", "v1", 1);
    store.put("r", m, "v2");

    assertThat(store.delete("r", "v1")).isTrue();

    assertThat(store.tags("r")).containsExactly("v2");
    assertThat(store.get("r", m.digest().toString())).contains(m);
    assertThat(store.delete("r", "v1")).isFalse();
  }

  @Test
  void referrers_listManifestsWithSubject_withArtifactTypeAndAnnotations() {
    RawManifest subject = Fixtures.pushImage(store, "r", "v1", 1);
    String subjectField =
        "\"subject\":" + Fixtures.descriptor(MediaType.OCI_MANIFEST, subject.digest(), subject.size());
    Digest empty = Fixtures.blob(store, "{}");
    RawManifest sbom =
        Fixtures.image(
            empty,
            List.of(),
            "\"artifactType\":\"application/spdx+json\",\"annotations\":{\"org.example\":\"x\"},"
                + subjectField);
    String configTyped =
        new String(Fixtures.image(empty, List.of(), subjectField).bytes(), StandardCharsets.UTF_8)
            .replace(MediaType.OCI_CONFIG, "application/vnd.example.sig");
    RawManifest sig = RawManifest.of(configTyped.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST);
    store.put("r", sbom, null);
    store.put("r", sig, null);
    store.put("other", sbom, null);

    List<Descriptor> refs = store.referrers("r", subject.digest());

    assertThat(refs).hasSize(2);
    Descriptor s = refs.stream().filter(d -> d.digest().equals(sbom.digest())).findFirst().orElseThrow();
    assertThat(s.artifactType()).isEqualTo("application/spdx+json");
    assertThat(s.annotations()).containsEntry("org.example", "x");
    assertThat(s.size()).isEqualTo(sbom.size());
    assertThat(s.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    Descriptor g = refs.stream().filter(d -> d.digest().equals(sig.digest())).findFirst().orElseThrow();
    assertThat(g.artifactType()).isEqualTo("application/vnd.example.sig");
    assertThat(store.referrers("r", sbom.digest())).isEmpty();

    store.delete("r", sbom.digest().toString());
    assertThat(store.referrers("r", subject.digest()))
        .extracting(Descriptor::digest)
        .containsExactly(sig.digest());
    assertThat(store.referrers("other", subject.digest()))
        .extracting(Descriptor::digest)
        .containsExactly(sbom.digest());
  }

  @Test
  void get_corruptManifestBytesOnDisk_failsInsteadOfServingThem() throws Exception {
    RawManifest m = Fixtures.pushImage(store, "r", "v1", 1);
    Path file = store.stat(m.digest()).orElseThrow().path();
    Files.writeString(file, "{\"tampered\":true}");

    assertThatThrownBy(() -> store.get("r", "v1"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(m.digest().toString())
        .hasMessageContaining("corrupt");
  }
}
