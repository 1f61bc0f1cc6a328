package dev.refit.registry.layout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.InvalidManifestException;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.oci.json.FieldReader;
import dev.refit.registry.oci.json.Json;
import dev.refit.registry.store.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image-layout directory: reads and writes its blobs and its index.json. Blocking.
 * Thread-safe within one JVM: blob writes use unique temp files and atomic renames, and index.json
 * updates are serialised on this instance (two instances or processes on one directory must not
 * add manifests at the same time).
 *
 * <p>OCI image-spec image-layout.md:
 * <pre>
 * root/
 * ├── oci-layout          {"imageLayoutVersion": "1.0.0"}
 * ├── index.json          an image index; entries may carry org.opencontainers.image.ref.name
 * └── blobs/
 *     └── sha256/&lt;hex&gt;    content-addressed blobs (manifests, configs, layers)
 * </pre>
 */
public final class OciLayout {
  public static final String LAYOUT_FILE = "oci-layout";
  public static final String INDEX_FILE = "index.json";
  public static final String BLOBS_DIR = "blobs";
  public static final String LAYOUT_VERSION = "1.0.0";
  /** image-spec annotations.md: the name of an image in a layout's index.json. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** Manifests are small; refuse to read larger "manifests" into memory. */
  public static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private final Path root;

  private OciLayout(Path root) {
    this.root = root;
  }

  /**
   * Opens an existing layout.
   *
   * @throws OciLayoutException when {@code dir} is not an OCI layout (no or bad oci-layout file)
   */
  public static OciLayout open(Path dir) {
    Path marker = dir.resolve(LAYOUT_FILE);
    if (!Files.isRegularFile(marker)) {
      throw new OciLayoutException(dir + " is not an OCI image layout: it has no " + LAYOUT_FILE
          + " file (image-spec image-layout.md); create one with skopeo copy ... oci:" + dir);
    }
    try {
      ObjectNode o = Json.readObject(Files.readAllBytes(marker), dir + "/" + LAYOUT_FILE,
          OciLayoutException::new);
      String version = FieldReader.of(o, LAYOUT_FILE, OciLayoutException::new)
          .requiredString("imageLayoutVersion");
      if (!version.startsWith("1.")) {
        throw new OciLayoutException(dir + ": unsupported imageLayoutVersion '" + version
            + "', refit reads 1.x");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + marker, e);
    }
    if (!Files.isRegularFile(dir.resolve(INDEX_FILE))) {
      throw new OciLayoutException(dir + " is not a complete OCI image layout: " + INDEX_FILE
          + " is missing");
    }
    return new OciLayout(dir);
  }

  /**
   * Creates a layout in {@code dir} (made if absent), with an empty index; opens it instead if
   * {@code dir} already is a layout.
   */
  public static OciLayout create(Path dir) {
    if (Files.isRegularFile(dir.resolve(LAYOUT_FILE))) {
      return open(dir);
    }
    try {
      Files.createDirectories(dir.resolve(BLOBS_DIR).resolve(Digest.Algorithm.SHA256.id()));
      AtomicFile.write(dir.resolve(INDEX_FILE), Index.of(List.of()).toJson());
      ObjectNode marker = Json.object().put("imageLayoutVersion", LAYOUT_VERSION);
      AtomicFile.write(dir.resolve(LAYOUT_FILE), Json.write(marker));
    } catch (IOException e) {
      throw new UncheckedIOException("creating OCI layout in " + dir, e);
    }
    return new OciLayout(dir);
  }

  public Path root() {
    return root;
  }

  /** Where a blob lives: {@code blobs/<alg>/<hex>}, whether or not it exists. */
  public Path blobPath(Digest digest) {
    return root.resolve(BLOBS_DIR).resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  /** The blob's size in bytes. @throws OciLayoutException when it is absent */
  public long blobSize(Digest digest) {
    try {
      return Files.size(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw missing(digest);
    } catch (IOException e) {
      throw new UncheckedIOException("reading size of " + blobPath(digest), e);
    }
  }

  /** Opens a blob for streaming; the caller closes it. @throws OciLayoutException when absent */
  public InputStream openBlob(Digest digest) {
    try {
      return Files.newInputStream(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw missing(digest);
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + blobPath(digest), e);
    }
  }

  /**
   * Streams {@code in} into the layout as a blob, hashing while writing; the blob becomes visible
   * only once it is complete, fsynced and verified, by an atomic rename.
   *
   * @param expected the digest the bytes must have, or null to accept any (sha256 is used)
   * @return the stored blob
   * @throws DigestMismatchException when the bytes hash to something else; nothing is stored
   */
  public BlobInfo writeBlob(InputStream in, Digest expected) {
    Digest.Algorithm algorithm = expected == null ? Digest.Algorithm.SHA256 : expected.algorithm();
    try (AtomicFile file = AtomicFile.in(root.resolve(BLOBS_DIR).resolve(algorithm.id()))) {
      HashingOutputStream hashed = new HashingOutputStream(file.output(), algorithm);
      try (hashed) {
        in.transferTo(hashed);
      }
      Digest actual = hashed.digest();
      if (expected != null && !expected.equals(actual)) {
        throw new DigestMismatchException(expected, actual);
      }
      Path target = blobPath(actual);
      file.commit(target);
      return new BlobInfo(actual, hashed.count(), target);
    } catch (IOException e) {
      throw new UncheckedIOException("writing blob into " + root, e);
    }
  }

  /** Stores a manifest's exact bytes as a blob and returns its descriptor. */
  public Descriptor writeManifest(RawManifest manifest) {
    writeBlob(new java.io.ByteArrayInputStream(manifest.bytes()), manifest.digest());
    return manifest.descriptor();
  }

  /**
   * Reads the manifest a descriptor points to, checking size and digest.
   *
   * @throws OciLayoutException when absent, too large or not matching the descriptor
   */
  public RawManifest readManifest(Descriptor d) {
    if (d.size() > MAX_MANIFEST_BYTES) {
      throw new OciLayoutException("manifest " + d.digest() + " in " + root + " is " + d.size()
          + " bytes, more than the " + MAX_MANIFEST_BYTES + " byte limit for manifests");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(blobPath(d.digest()));
    } catch (NoSuchFileException e) {
      throw missing(d.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + blobPath(d.digest()), e);
    }
    if (bytes.length != d.size()) {
      throw new OciLayoutException("blob " + d.digest() + " in " + root + " is " + bytes.length
          + " bytes but its descriptor says " + d.size() + ": the layout is corrupt");
    }
    try {
      return RawManifest.verified(bytes, d.mediaType(), d.digest());
    } catch (DigestMismatchException e) {
      throw new OciLayoutException("blob " + d.digest() + " in " + root
          + " does not hash to its name: the layout is corrupt", e);
    }
  }

  /** Parses index.json. */
  public synchronized Index readIndex() {
    Path index = root.resolve(INDEX_FILE);
    try {
      return Index.parse(Files.readAllBytes(index));
    } catch (InvalidManifestException e) {
      throw new OciLayoutException(index + ": " + Causes.describe(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + index, e);
    }
  }

  /**
   * Adds a manifest to index.json and rewrites it atomically. An entry with the same ref.name is
   * replaced (the name moves, as skopeo does); an unnamed descriptor already listed unnamed is
   * not added twice. The manifest blob should already be written. index.json is rewritten from
   * the model, so fields refit does not model (a descriptor's urls or data) are not kept; it is
   * not content-addressed, so no digest changes.
   */
  public synchronized void addManifest(Descriptor descriptor) {
    Index index = readIndex();
    String name = descriptor.annotations().get(REF_NAME);
    List<Descriptor> kept = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      String other = d.annotations().get(REF_NAME);
      boolean sameName = name != null && name.equals(other);
      boolean sameUnnamed = name == null && other == null && d.digest().equals(descriptor.digest());
      if (!sameName && !sameUnnamed) {
        kept.add(d);
      }
    }
    kept.add(descriptor);
    try {
      AtomicFile.write(root.resolve(INDEX_FILE), index.withManifests(kept).toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + root.resolve(INDEX_FILE), e);
    }
  }

  /** Tags {@code descriptor} with {@code refName} and adds it (see {@link #addManifest}). */
  public void addManifest(Descriptor descriptor, String refName) {
    Map<String, String> a = new java.util.HashMap<>(descriptor.annotations());
    a.put(REF_NAME, refName);
    addManifest(descriptor.withAnnotations(a));
  }

  /** The index entry named {@code refName}, if any. */
  public Optional<Descriptor> find(String refName) {
    return readIndex().manifests().stream()
        .filter(d -> refName.equals(d.annotations().get(REF_NAME)))
        .findFirst();
  }

  /**
   * The entry named {@code refName}; with a null name, the only entry (skopeo's rule for
   * {@code oci:DIR} without a reference).
   *
   * @throws OciLayoutException when there is no such entry, or several and no name was given
   */
  public Descriptor resolve(String refName) {
    List<Descriptor> all = readIndex().manifests();
    if (refName == null) {
      if (all.size() == 1) {
        return all.get(0);
      }
      throw new OciLayoutException(root + " holds " + all.size() + " images; name one of "
          + names(all) + " (oci:" + root + ":NAME)");
    }
    return all.stream().filter(d -> refName.equals(d.annotations().get(REF_NAME))).findFirst()
        .orElseThrow(() -> new OciLayoutException("no image named '" + refName + "' in " + root
            + "; it has " + names(all)));
  }

  /** The entry at {@code position} in index.json (skopeo's {@code oci:DIR:@N}). */
  public Descriptor resolve(int position) {
    List<Descriptor> all = readIndex().manifests();
    if (position < 0 || position >= all.size()) {
      throw new OciLayoutException("no image @" + position + " in " + root + ": index.json has "
          + all.size() + " entries");
    }
    return all.get(position);
  }

  private static String names(List<Descriptor> all) {
    List<String> names = all.stream().map(d -> d.annotations().get(REF_NAME))
        .map(n -> n == null ? "(unnamed)" : n).toList();
    return names.isEmpty() ? "no images" : String.join(", ", names);
  }

  private OciLayoutException missing(Digest digest) {
    return new OciLayoutException("blob " + digest + " is not in OCI layout " + root);
  }

  @Override
  public String toString() {
    return "oci:" + root;
  }

}
