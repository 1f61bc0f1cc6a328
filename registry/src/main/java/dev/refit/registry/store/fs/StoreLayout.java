package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.InvalidTagException;
import dev.refit.registry.store.RepositoryName;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Maps store concepts to paths below the root, and is the only place that builds such paths.
 * Thread-safe (immutable).
 *
 * <p>The layout, after distribution's registry/storage/paths.go:
 *
 * <pre>
 * root/
 * ├── blobs/                                   content-addressed, each blob stored once
 * │   └── &lt;alg&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;               the bytes (manifests are blobs too)
 * ├── uploads/                                 in-progress uploads, invisible to readers
 * │   └── &lt;uuid&gt;/
 * │       ├── data                             bytes received so far
 * │       └── startedat                        ISO-8601 instant the upload began
 * └── repositories/
 *     └── &lt;name&gt;/                               may nest: library/ubuntu
 *         ├── _layers/&lt;alg&gt;/&lt;hex&gt;               link: blob usable in this repo (holds digest)
 *         ├── _manifests/
 *         │   ├── revisions/&lt;alg&gt;/&lt;hex&gt;        link: manifest in this repo (holds media type)
 *         │   └── tags/&lt;tag&gt;                    holds the digest; replaced atomically
 *         └── _referrers/&lt;subject alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;/&lt;hex&gt;
 *                                              empty marker: manifest alg:hex has that subject
 * </pre>
 *
 * <p>Why it is safe: every path comes from a validated repository name (whose components cannot
 * start with '_' or '.', so they never collide with _layers/_manifests nor with temp files), a
 * parsed {@link Digest} (lowercase hex only), a tag matching the distribution-spec grammar (first
 * character never '.'), or an upload id that must be a UUID. {@link #contained} re-checks that the
 * normalised result is under the root anyway. Temporary files are named {@code .<name>.<uuid>.tmp}
 * beside their target so that the final rename stays on one filesystem, and listings skip names
 * starting with '.'.
 */
final class StoreLayout {
  /** distribution-spec "tag" grammar. */
  static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private static final Pattern UPLOAD_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Path root;

  StoreLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path blobsDir() {
    return root.resolve("blobs");
  }

  Path uploadsDir() {
    return root.resolve("uploads");
  }

  Path repositoriesDir() {
    return root.resolve("repositories");
  }

  Path blob(Digest d) {
    return contained(
        blobsDir().resolve(d.algorithm().id()).resolve(d.hex().substring(0, 2)).resolve(d.hex()));
  }

  static boolean isUploadId(String id) {
    return id != null && UPLOAD_ID.matcher(id).matches();
  }

  Path upload(String id) {
    if (!isUploadId(id)) {
      throw new IllegalArgumentException("malformed upload id '" + id + "': expected a UUID");
    }
    return contained(uploadsDir().resolve(id));
  }

  Path repository(String name) {
    RepositoryName.validate(name);
    return contained(repositoriesDir().resolve(name));
  }

  Path layerLink(String repo, Digest d) {
    return contained(repository(repo).resolve("_layers").resolve(d.algorithm().id()).resolve(d.hex()));
  }

  Path layersDir(String repo) {
    return repository(repo).resolve("_layers");
  }

  Path revisionsDir(String repo) {
    return repository(repo).resolve("_manifests").resolve("revisions");
  }

  Path revision(String repo, Digest d) {
    return contained(revisionsDir(repo).resolve(d.algorithm().id()).resolve(d.hex()));
  }

  Path tagsDir(String repo) {
    return repository(repo).resolve("_manifests").resolve("tags");
  }

  Path tag(String repo, String tag) {
    validateTag(tag);
    return contained(tagsDir(repo).resolve(tag));
  }

  Path referrersDir(String repo, Digest subject) {
    return contained(
        repository(repo)
            .resolve("_referrers")
            .resolve(subject.algorithm().id())
            .resolve(subject.hex()));
  }

  Path referrer(String repo, Digest subject, Digest d) {
    return contained(referrersDir(repo, subject).resolve(d.algorithm().id()).resolve(d.hex()));
  }

  static void validateTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new InvalidTagException(
          "invalid tag '" + tag + "': expected [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}, e.g. 'latest'");
    }
  }

  /** Refuses any path that normalises outside the root; a second fence behind validation. */
  Path contained(Path p) {
    Path n = p.toAbsolutePath().normalize();
    if (!n.startsWith(root)) {
      throw new IllegalArgumentException("refusing path outside the store root: " + root.relativize(n));
    }
    return n;
  }
}
