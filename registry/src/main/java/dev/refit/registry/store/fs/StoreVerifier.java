package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a {@link FsStore} for bit rot and dangling references: re-hashes every blob (streaming,
 * fixed buffer) against its content-addressed name, and checks that every manifest revision's
 * bytes, config, layers and index children exist, that every tag points at a revision, and that
 * every repository's blob links point at blobs the store still has.
 * Blocking; read-only, so safe to run while the registry serves (content pushed during the run
 * may or may not be seen).
 */
public final class StoreVerifier {
  private final FsStore store;

  public StoreVerifier(FsStore store) {
    this.store = store;
  }

  public VerifyReport verify() {
    List<String> corrupt = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    int blobs = 0;
    for (Path file : new GarbageCollector(store).blobFiles()) {
      Optional<Digest> name = GarbageCollector.digestOf(file);
      if (name.isEmpty()) {
        corrupt.add(store.root().relativize(file) + ": not a valid digest name; remove the file");
        continue;
      }
      Digest actual;
      try {
        actual = FsFiles.hash(file, name.get().algorithm());
      } catch (StoreException e) {
        continue; // removed concurrently (GC or delete)
      }
      blobs++;
      if (!actual.equals(name.get())) {
        corrupt.add(
            name.get() + " (" + store.root().relativize(file) + "): content hashes to " + actual
                + "; delete the file and push the blob again");
      }
    }
    int manifests = 0;
    FsManifests revisions = store.manifests();
    for (String repo : store.repositories()) {
      for (Digest blob : store.links().linkFiles(repo)) {
        if (store.stat(blob).isEmpty()) {
          missing.add(repo + " links blob " + blob + ", which the blob store no longer has"
              + " (dangling link; 'refit registry gc' removes it)");
        }
      }
      for (Digest manifest : revisions.revisions(repo)) {
        manifests++;
        checkManifest(repo, manifest, missing);
      }
      for (String tag : revisions.tags(repo)) {
        Optional<Digest> target = revisions.resolve(repo, tag);
        if (target.isEmpty()) {
          missing.add(repo + ":" + tag + " holds no valid digest");
        } else if (!Files.exists(store.layout().revision(repo, target.get()))) {
          missing.add(repo + ":" + tag + " points at " + target.get() + ", not a manifest of " + repo);
        }
      }
    }
    return new VerifyReport(blobs, manifests, corrupt, missing);
  }

  private void checkManifest(String repo, Digest manifest, List<String> missing) {
    Path file = store.layout().blob(manifest);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      missing.add(repo + "@" + manifest + ": manifest bytes are missing from the blob store"
          + " (dangling link; 'refit registry gc' removes it)");
      return;
    }
    ManifestRefs refs = ManifestRefs.parse(bytes);
    if (refs.config() != null) {
      requirePresent(repo, manifest, "config", refs.config(), missing);
    }
    for (Digest layer : refs.layers()) {
      requirePresent(repo, manifest, "layer", layer, missing);
    }
    for (Digest child : refs.children()) {
      requirePresent(repo, manifest, "child manifest", child, missing);
    }
  }

  private void requirePresent(
      String repo, Digest manifest, String role, Digest ref, List<String> missing) {
    if (store.stat(ref).isEmpty()) {
      missing.add(repo + "@" + manifest + " references " + role + " " + ref + ", which is missing");
    }
  }
}
