package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.ParsedPatch;
import dev.refit.patches.engine.PatchEngine;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch engine applying a patch to an image streamed from the embedded registry. */
class ImagePatchingTest {
  @TempDir Path tmp;

  @Test
  void apply_patchOnStreamedImage_changesFileInheritingOwnerAndOnePassPerLayer() throws Exception {
    String site = "usr/lib/python3.6/site-packages";
    try (InProcessRegistry registry = InProcessRegistry.start(Files.createDirectories(tmp.resolve("r")))) {
      TestImages images = new TestImages(registry, Files.createDirectories(tmp.resolve("b")));
      TestLayer.Built base = images.layer(TestLayer.create().dir(site + "/nova")
          .file(site + "/nova/a.py", "one\ntwo\nthree\n", 0640, 162, 162)
          .file(site + "/nova/b.py", "keep\n"));
      TestLayer.Built top = images.layer(TestLayer.create().file("etc/nova/nova.conf", "[DEFAULT]\n"));
      images.push("nova-api", "latest", null, null, List.of(base, top));
      LayerCache cache = new LayerCache(tmp.resolve("cache"));
      RegistryImage image = RegistryImage.load(images.blocking(), "nova-api", "nova-api", "latest",
          tmp.resolve("pull"));
      String diff = "diff --git a/nova/a.py b/nova/a.py\n--- a/nova/a.py\n+++ b/nova/a.py\n"
          + "@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n";
      ParsedPatch patch = ParsedPatch.parse(
          new java.io.ByteArrayInputStream(diff.getBytes(StandardCharsets.UTF_8)), "fix.patch",
          PatchOptions.defaults());
      ImageFileSource files = ImageFileSource.open(image,
          PatchPrefetch.requestFor(List.of(patch), "/" + site), cache);

      PatchResult result = new PatchEngine(PatchOptions.defaults())
          .apply(patch, files, "/" + site, tmp.resolve("work"), "nova-api");

      ChangedFile changed = result.changed().get(0);
      assertThat(changed.path()).isEqualTo(site + "/nova/a.py");
      assertThat(Files.readString(changed.content())).isEqualTo("one\nTWO\nthree\n");
      assertThat(changed.mode()).isEqualTo(0640);
      assertThat(changed.uid()).isEqualTo(162);
      assertThat(cache.indexBuilds(base.descriptor().digest())).isEqualTo(1);
      assertThat(cache.indexBuilds(top.descriptor().digest())).isEqualTo(1);
    }
  }
}
