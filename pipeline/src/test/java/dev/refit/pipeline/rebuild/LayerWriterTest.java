package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.common.collect.ImmutableList;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
  @TempDir Path tmp;

  /** The layer jib-core writes for the same entries: its builder, gzip'd as its cache writer does. */
  private record JibLayer(Digest blob, Digest diffId) {}

  private JibLayer jibLayer(PatchResult result, FileSource base) throws Exception {
    var entries = ImmutableList.copyOf(DeltaLayer.of(result, tmp.resolve("jib-work"), base).getEntries());
    HashingOutputStream compressed = HashingOutputStream.discarding(Digest.Algorithm.SHA256);
    HashingOutputStream plain;
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed);
        OutputStream tar = plain = HashingOutputStream.sha256(gzip)) {
      new ReproducibleLayerBuilder(entries).build().writeTo(tar);
    }
    return new JibLayer(compressed.digest(), plain.digest());
  }

  @Test
  void write_resultWithoutSpecialModes_isByteForByteJibsLayer() throws Exception {
    PatchResult r = withLongPath(DaemonlessRebuilderTest.patchResult(tmp.resolve("files")));

    NewLayer ours = LayerWriter.write(List.of(r), null, tmp.resolve("ours")).get(0);

    JibLayer jib = jibLayer(r, null);
    assertThat(ours.descriptor().digest()).isEqualTo(jib.blob());
    assertThat(ours.diffId()).isEqualTo(jib.diffId());
    assertThat(ours.descriptor().mediaType()).isEqualTo(MediaType.OCI_LAYER_GZIP);
    assertThat(ours.descriptor().size()).isEqualTo(Files.size(ours.file()));
    assertThat(HashingOutputStream.hash(ours.file(), Digest.Algorithm.SHA256)).isEqualTo(jib.blob());
  }

  @Test
  void write_withABaseView_parentsAsTheBaseHasThem_isByteForByteJibsLayer() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("var/lib/nova"));
    Files.createDirectories(root.resolve("usr/lib/python3/site-packages/nova"));
    Files.createDirectories(root.resolve("usr/lib-extra"));
    PatchResult r = new PatchResult(List.of(
        changed("usr/lib-extra/x.so", 0755, 0, 0),
        changed("usr/lib/python3/site-packages/nova/api.py", 0644, 0, 0),
        changed("usr/local/bin/grouped", 0750, 0, 1000),
        changed("var/lib/nova/nova.conf", 0640, 42436, 42436)),
        List.of("usr/lib/python3/site-packages/nova/old.py"));
    FileSource base = DirectoryFileSource.of(root);

    NewLayer ours = LayerWriter.write(List.of(r), base, tmp.resolve("ours")).get(0);

    JibLayer jib = jibLayer(r, base);
    assertThat(ours.descriptor().digest()).isEqualTo(jib.blob());
    assertThat(ours.diffId()).isEqualTo(jib.diffId());
  }

  @Test
  void write_specialModes_keepAllTwelveBitsAndEveryOtherFieldAsJib() throws Exception {
    PatchResult special = new PatchResult(List.of(
        changed("usr/bin/rootwrap", 04755, 0, 0),
        changed("usr/bin/grouped", 02711, 0, 42436),
        changed("tmp/shared", 01777, 42436, 42436)), List.of());
    PatchResult plain = new PatchResult(special.changed().stream()
        .map(f -> new ChangedFile(f.path(), f.content(), f.mode() & 0777, f.uid(), f.gid(), f.size(), f.sha256()))
        .toList(), List.of());

    NewLayer ours = LayerWriter.write(List.of(special), null, tmp.resolve("ours")).get(0);

    Map<String, TarArchiveEntry> entries = read(ours.file());
    assertThat(entries.get("usr/bin/rootwrap").getMode() & 07777).isEqualTo(04755);
    assertThat(entries.get("usr/bin/grouped").getMode() & 07777).isEqualTo(02711);
    assertThat(entries.get("usr/bin/grouped").getLongGroupId()).isEqualTo(42436);
    assertThat(entries.get("tmp/shared").getMode() & 07777).isEqualTo(01777);
    assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(0755);
    assertThat(entries.keySet()).containsExactly("tmp/", "tmp/shared", "usr/", "usr/bin/",
        "usr/bin/grouped", "usr/bin/rootwrap");
    // Only the modes differ from jib's layer: with them masked, the bytes are jib's.
    NewLayer masked = LayerWriter.write(List.of(plain), null, tmp.resolve("masked")).get(0);
    assertThat(masked.descriptor().digest()).isEqualTo(jibLayer(special, null).blob());
    assertThat(ours.descriptor().digest()).isNotEqualTo(masked.descriptor().digest());
  }

  @Test
  void write_severalContents_oneLayerEachInOrder_emptyOnesAddNone() throws Exception {
    PatchResult first = new PatchResult(List.of(changed("a/one", 0644, 0, 0)), List.of());
    PatchResult second = new PatchResult(List.of(changed("b/two", 0644, 0, 0)), List.of());

    List<NewLayer> layers = LayerWriter.write(List.of(first, PatchResult.empty(), second), null, tmp.resolve("out"));

    assertThat(layers).hasSize(2);
    assertThat(read(layers.get(0).file())).containsOnlyKeys("a/", "a/one");
    assertThat(read(layers.get(1).file())).containsOnlyKeys("b/", "b/two");
    // Reproducible: written again elsewhere, the same digests.
    List<NewLayer> again = LayerWriter.write(List.of(first, second), null, tmp.resolve("again"));
    assertThat(again).extracting(NewLayer::descriptor).containsExactlyElementsOf(
        layers.stream().map(NewLayer::descriptor).toList());
    assertThat(again).extracting(NewLayer::diffId).containsExactlyElementsOf(
        layers.stream().map(NewLayer::diffId).toList());
  }

  private static Map<String, TarArchiveEntry> read(Path layer) throws Exception {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layer));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        assertThat(e.getLastModifiedTime().toMillis()).isEqualTo(1000);
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }

  private PatchResult withLongPath(PatchResult r) throws Exception {
    List<ChangedFile> files = new java.util.ArrayList<>(r.changed());
    files.add(changed(DaemonlessRebuilderTest.LONG_PATH, 0711, 0, 0));
    return new PatchResult(files, r.deleted());
  }

  private ChangedFile changed(String path, int mode, int uid, int gid) throws Exception {
    byte[] bytes = ("content of " + path + "\n").getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(Files.createDirectories(tmp.resolve("files")).resolve(path.replace('/', '_')), bytes);
    return new ChangedFile(path, file, mode, uid, gid, bytes.length, Digest.sha256(bytes));
  }
}
