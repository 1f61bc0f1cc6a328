package dev.refit.registry.store.fs;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobUnknownException;
import dev.refit.registry.store.ManifestStore;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The manifest half of {@link FsStore}: revisions, tags and the referrers index of each
 * repository; the manifest bytes themselves are blobs. Thread-safe. Blocking.
 *
 * <p>A put writes, in this order, the blob, the revision link, the referrers marker and last the
 * tag, each atomically; so after a crash at any point a tag never points at a missing revision
 * and a revision never at missing bytes. A put that fails part-way removes the revision and marker
 * it created, so a failed PUT never leaves a manifest behind. Concurrent puts of one tag each
 * rename a complete temp file over it: the last rename wins and readers never see a torn file.
 */
final class FsManifests implements ManifestStore {
  private final StoreLayout layout;
  private final FsBlobs blobs;
  private final ReadWriteLock lock;

  FsManifests(StoreLayout layout, FsBlobs blobs, ReadWriteLock lock) {
    this.layout = layout;
    this.blobs = blobs;
    this.lock = lock;
  }

  @Override
  public void put(String repo, RawManifest manifest, String tag) {
    Digest digest = manifest.digest();
    Path revision = layout.revision(repo, digest);
    Path tagFile = tag == null ? null : layout.tag(repo, tag);
    byte[] bytes = manifest.bytes();
    ManifestRefs refs = ManifestRefs.parse(bytes);
    lock.readLock().lock();
    try {
      // Refresh what this manifest references so a concurrent GC sweep keeps it (grace period);
      // if a sweep already removed one after the caller checked it, fail rather than dangle.
      for (Digest ref : refs.all()) {
        if (!blobs.touch(ref) && blobs.wasSwept(ref)) {
          throw new BlobUnknownException(
              ref, "garbage-collected while manifest " + digest + " was pushed to " + repo);
        }
      }
      blobs.put(bytes, digest);
      String mediaType = manifest.mediaType() == null ? "" : manifest.mediaType();
      boolean newRevision = !Files.exists(revision);
      Path marker = refs.subject() == null ? null : layout.referrer(repo, refs.subject(), digest);
      boolean newMarker = marker != null && !Files.exists(marker);
      try {
        // Re-pushes are common (every retag); skip the fsyncs when the link is already right.
        if (!FsFiles.readString(revision).filter(mediaType::equals).isPresent()) {
          FsFiles.writeAtomically(revision, mediaType.getBytes(StandardCharsets.UTF_8));
        }
        if (newMarker) {
          FsFiles.writeAtomically(marker, new byte[0]);
        }
        if (tagFile != null) {
          FsFiles.writeAtomically(tagFile, digest.toString().getBytes(StandardCharsets.UTF_8));
        }
      } catch (RuntimeException e) {
        // A failed PUT (a full disk, typically) stores no manifest: undo the links it added.
        // The bytes stay as an unreferenced blob, which gc sweeps after the grace period.
        if (newMarker) {
          FsFiles.deleteQuietly(marker);
        }
        if (newRevision) {
          FsFiles.deleteQuietly(revision);
        }
        throw e;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<RawManifest> get(String repo, String reference) {
    return resolve(repo, reference).flatMap(d -> read(repo, d));
  }

  @Override
  public boolean delete(String repo, String reference) {
    if (!isDigest(reference)) {
      return FsFiles.deleteQuietly(layout.tag(repo, reference));
    }
    Digest digest = Digest.parse(reference);
    boolean existed = FsFiles.deleteQuietly(layout.revision(repo, digest));
    for (String tag : tags(repo)) {
      Path t = layout.tag(repo, tag);
      if (FsFiles.readString(t).filter(digest.toString()::equals).isPresent()) {
        existed |= FsFiles.deleteQuietly(t);
      }
    }
    Path referrersRoot = layout.repository(repo).resolve("_referrers");
    for (Path alg : FsFiles.list(referrersRoot)) {
      for (Path subject : FsFiles.list(alg)) {
        FsFiles.deleteQuietly(
            subject.resolve(digest.algorithm().id()).resolve(digest.hex()));
      }
    }
    return existed;
  }

  @Override
  public List<String> tags(String repo) {
    List<String> out = new ArrayList<>();
    for (Path p : FsFiles.list(layout.tagsDir(repo))) {
      out.add(p.getFileName().toString());
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<Descriptor> referrers(String repo, Digest subject) {
    List<Descriptor> out = new ArrayList<>();
    for (Path alg : FsFiles.list(layout.referrersDir(repo, subject))) {
      for (Path entry : FsFiles.list(alg)) {
        Digest d = Digest.parse(alg.getFileName() + ":" + entry.getFileName());
        read(repo, d).ifPresent(m -> out.add(referrerDescriptor(m)));
      }
    }
    out.sort(Comparator.comparing(Descriptor::digest));
    return out;
  }

  /** Digests of every manifest revision in {@code repo}. */
  List<Digest> revisions(String repo) {
    List<Digest> out = new ArrayList<>();
    for (Path alg : FsFiles.list(layout.revisionsDir(repo))) {
      for (Path entry : FsFiles.list(alg)) {
        String s = alg.getFileName() + ":" + entry.getFileName();
        if (Digest.isValid(s)) {
          out.add(Digest.parse(s));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The digest a tag or digest reference names in {@code repo}, if any. */
  Optional<Digest> resolve(String repo, String reference) {
    if (isDigest(reference)) {
      return Optional.of(Digest.parse(reference));
    }
    return FsFiles.readString(layout.tag(repo, reference))
        .filter(Digest::isValid)
        .map(Digest::parse);
  }

  private Optional<RawManifest> read(String repo, Digest digest) {
    Optional<String> mediaType = FsFiles.readString(layout.revision(repo, digest));
    if (mediaType.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(layout.blob(digest));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot read manifest " + digest + ": " + Causes.describe(e), e);
    }
    String mt = mediaType.get().isEmpty() ? null : mediaType.get();
    try {
      return Optional.of(RawManifest.verified(bytes, mt, digest));
    } catch (DigestMismatchException e) {
      // Bit rot on disk, not a client error: never serve bytes that do not match their name.
      throw new StoreException(
          "stored manifest " + digest + " of " + repo + " is corrupt (" + Causes.describe(e)
              + "); run 'refit registry verify' and push the image again", e);
    }
  }

  private static Descriptor referrerDescriptor(RawManifest m) {
    ManifestRefs refs = ManifestRefs.parse(m.bytes());
    return new Descriptor(
        m.mediaType(), m.digest(), m.size(), null, refs.artifactType(), refs.annotations());
  }

  private static boolean isDigest(String reference) {
    return reference != null && reference.indexOf(':') > 0;
  }
}
