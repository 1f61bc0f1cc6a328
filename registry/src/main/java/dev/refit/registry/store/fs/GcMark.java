package dev.refit.registry.store.fs;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mark phase of {@link GarbageCollector}: every blob reachable from a revision or tag of any
 * repository, and the revision links whose manifest bytes are gone. Blocking; one instance per
 * run, confined to the thread that runs it.
 *
 * <p>Fails closed: a manifest whose bytes exist but cannot be read, do not hash to its digest or
 * are not a JSON object stops the run with {@link ManifestUnreadableException}. Reading it as
 * "references nothing" would sweep the config and layers of the image it describes, and a
 * flipped byte inside a layer digest still parses, so the bytes are hashed before they are
 * trusted. Bytes that are missing altogether are a dangling link: nothing can be pulled through
 * it, so the run goes on and {@link GarbageCollector} removes the link.
 */
final class GcMark {
  /** Manifests are bounded by the server; anything bigger is not a manifest worth parsing. */
  private static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;

  /** A manifest revision link of one repository. */
  record Revision(String repo, Digest manifest) {}

  private final FsStore store;
  private final Set<Digest> marked = new HashSet<>();
  private final List<Revision> dangling = new ArrayList<>();

  private GcMark(FsStore store) {
    this.store = store;
  }

  /** Marks from every revision and tag of every repository. */
  static GcMark of(FsStore store) {
    GcMark mark = new GcMark(store);
    for (String repo : store.repositories()) {
      mark.markRepository(repo);
    }
    return mark;
  }

  /** Blobs reachable from some manifest, manifests included. */
  Set<Digest> marked() {
    return marked;
  }

  /** Revision links whose manifest bytes were missing when marked. */
  List<Revision> dangling() {
    return dangling;
  }

  private void markRepository(String repo) {
    FsManifests manifests = store.manifests();
    Deque<Digest> todo = new ArrayDeque<>();
    for (Digest revision : manifests.revisions(repo)) {
      if (Files.exists(store.layout().blob(revision))) {
        todo.add(revision);
      } else {
        dangling.add(new Revision(repo, revision));
      }
    }
    for (String tag : manifests.tags(repo)) {
      manifests.resolve(repo, tag).ifPresent(todo::add);
    }
    while (!todo.isEmpty()) {
      Digest manifest = todo.pop();
      if (!marked.add(manifest)) {
        continue;
      }
      Optional<ManifestRefs> refs = read(repo, manifest);
      refs.ifPresent(r -> {
        if (r.config() != null) {
          marked.add(r.config());
        }
        marked.addAll(r.layers());
        todo.addAll(r.children()); // marked when popped, so each child is read once
      });
    }
  }

  /** The manifest's references; empty when its bytes are gone; throws when they are unusable. */
  private Optional<ManifestRefs> read(String repo, Digest manifest) {
    Path file = store.layout().blob(manifest);
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_MANIFEST_BYTES) {
        throw new ManifestUnreadableException(
            repo, manifest, "it is larger than " + MAX_MANIFEST_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ManifestUnreadableException(repo, manifest, Causes.describe(e), e);
    }
    Digest actual = Digest.compute(manifest.algorithm(), bytes);
    if (!actual.equals(manifest)) {
      throw new ManifestUnreadableException(
          repo, manifest, "its bytes hash to " + actual + " (corrupt on disk)");
    }
    Optional<ManifestRefs> refs = ManifestRefs.tryParse(bytes);
    if (refs.isEmpty()) {
      throw new ManifestUnreadableException(repo, manifest, "it is not a JSON object");
    }
    return refs;
  }
}
