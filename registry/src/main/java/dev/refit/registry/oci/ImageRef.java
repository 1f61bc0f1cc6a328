package dev.refit.registry.oci;

import dev.refit.error.Causes;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference to an image through one transport: a registry ({@code docker://}, also bare refs),
 * an OCI layout directory, an OCI archive or a docker-save archive. Immutable; thread-safe.
 *
 * <p>Syntax follows containers-transports(5), as skopeo reads it:
 * <ul>
 *   <li>{@code docker://REF} or bare {@code REF}: the docker reference grammar (distribution/
 *       reference); when neither tag nor digest is given the tag is {@code latest}.
 *   <li>{@code oci:PATH[:REF]} and {@code oci-archive:PATH[:REF]}: PATH ends at the first ':';
 *       REF is an {@code org.opencontainers.image.ref.name} (image-spec annotations.md), or
 *       {@code @N} for the N-th manifest of index.json. No REF means "the only image".
 *   <li>{@code docker-archive:PATH[:REF|:@N]}: REF is a docker reference (tag defaults to latest,
 *       digests are refused as docker-save archives have none).
 * </ul>
 * For layout transports, {@link #tag()} is the ref.name.
 */
public final class ImageRef {

  /** Where the image lives. */
  public enum Transport {
    DOCKER("docker"),
    OCI("oci"),
    OCI_ARCHIVE("oci-archive"),
    DOCKER_ARCHIVE("docker-archive");

    private final String prefix;

    Transport(String prefix) {
      this.prefix = prefix;
    }

    /** The name before the ':' (containers-transports(5)). */
    public String prefix() {
      return prefix;
    }

    public boolean isFile() {
      return this != DOCKER;
    }
  }

  public static final String DEFAULT_TAG = "latest";

  private final Transport transport;
  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;
  private final Path path;
  private final int sourceIndex;

  private ImageRef(Transport transport, String registry, String repository, String tag,
      Digest digest, Path path, int sourceIndex) {
    this.transport = transport;
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
    this.path = path;
    this.sourceIndex = sourceIndex;
  }

  /**
   * Parses a reference with or without a transport prefix.
   *
   * @throws InvalidImageRefException saying which part is wrong and what is expected
   */
  public static ImageRef parse(String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidImageRefException("empty image reference: expected e.g. docker://busybox:1.36,"
          + " oci:DIR[:ref] or docker-archive:FILE[:ref]");
    }
    if (value.startsWith("docker://")) {
      return docker(value.substring("docker://".length()), value);
    }
    int colon = value.indexOf(':');
    String prefix = colon < 0 ? "" : value.substring(0, colon);
    String rest = colon < 0 ? "" : value.substring(colon + 1);
    switch (prefix) {
      case "docker":
        throw new InvalidImageRefException("invalid image reference '" + value
            + "': the docker transport is written docker://REF");
      case "oci":
        return layout(Transport.OCI, rest, value);
      case "oci-archive":
        return layout(Transport.OCI_ARCHIVE, rest, value);
      case "docker-archive":
        return dockerArchive(rest, value);
      default:
        if (TransportSyntax.isOtherTransport(prefix)) {
          throw new InvalidImageRefException("unsupported transport '" + prefix + ":' in '" + value
              + "': refit reads docker://, oci:, oci-archive: and docker-archive:");
        }
        return docker(value, value);
    }
  }

  /** A registry reference; {@code tag} and {@code digest} may be null (then tag is latest). */
  public static ImageRef of(String registry, String repository, String tag, Digest digest) {
    String name = registry + "/" + repository + (tag == null ? "" : ":" + tag);
    return parse(name + (digest == null ? "" : "@" + digest));
  }

  private static ImageRef docker(String ref, String original) {
    DockerReference.Parts p = parseDocker(ref, original);
    String tag = p.tag() == null && p.digest() == null ? DEFAULT_TAG : p.tag();
    return new ImageRef(Transport.DOCKER, p.domain(), p.path(), tag, p.digest(), null, -1);
  }

  private static DockerReference.Parts parseDocker(String ref, String original) {
    try {
      return DockerReference.parse(ref);
    } catch (InvalidImageRefException e) {
      if (ref.equals(original)) {
        throw e;
      }
      throw new InvalidImageRefException(Causes.describe(e) + " (in '" + original + "')");
    }
  }

  private static ImageRef layout(Transport t, String rest, String original) {
    int colon = rest.indexOf(':');
    String file = colon < 0 ? rest : rest.substring(0, colon);
    String ref = colon < 0 ? null : rest.substring(colon + 1);
    Path p = TransportSyntax.filePath(t, file, original);
    int index = TransportSyntax.sourceIndex(ref, original);
    if (index >= 0) {
      return new ImageRef(t, null, null, null, null, p, index);
    }
    if (ref != null && !ref.isEmpty()) {
      TransportSyntax.validateRefName(ref, original);
    }
    return new ImageRef(t, null, null, ref == null || ref.isEmpty() ? null : ref, null, p, -1);
  }

  private static ImageRef dockerArchive(String rest, String original) {
    int colon = rest.indexOf(':');
    String file = colon < 0 ? rest : rest.substring(0, colon);
    String ref = colon < 0 ? null : rest.substring(colon + 1);
    Path p = TransportSyntax.filePath(Transport.DOCKER_ARCHIVE, file, original);
    int index = TransportSyntax.sourceIndex(ref, original);
    if (index >= 0 || ref == null || ref.isEmpty()) {
      return new ImageRef(Transport.DOCKER_ARCHIVE, null, null, null, null, p, index);
    }
    DockerReference.Parts parts = parseDocker(ref, original);
    if (parts.digest() != null) {
      throw new InvalidImageRefException("invalid image reference '" + original
          + "': docker-archive does not support digest references; use a tag");
    }
    String tag = parts.tag() == null ? DEFAULT_TAG : parts.tag();
    return new ImageRef(Transport.DOCKER_ARCHIVE, parts.domain(), parts.path(), tag, null, p, -1);
  }

  public Transport transport() {
    return transport;
  }

  /** Registry host[:port], e.g. {@code docker.io}; null for layouts and unnamed archives. */
  public String registry() {
    return registry;
  }

  /** Repository path, e.g. {@code library/busybox}; null for layouts and unnamed archives. */
  public String repository() {
    return repository;
  }

  /** The tag, or for oci/oci-archive the ref.name; null when absent. */
  public String tag() {
    return tag;
  }

  /** The pinned digest; null when absent. Only registry references carry one. */
  public Digest digest() {
    return digest;
  }

  /** The file or directory of a file transport; null for registry references. */
  public Path path() {
    return path;
  }

  /** The {@code @N} source index of a file transport, or -1. */
  public int sourceIndex() {
    return sourceIndex;
  }

  /** {@code registry/repository}, e.g. {@code docker.io/library/busybox}; null without one. */
  public String name() {
    return registry == null ? null : registry + "/" + repository;
  }

  /** The tag for pushing or listing: the digest reference string when no tag is set. */
  public String tagOrDigest() {
    return tag != null ? tag : digest == null ? null : digest.toString();
  }

  /**
   * This reference with {@code newTag}; a digest is dropped, because a tag names content that can
   * move and the old digest would contradict it.
   */
  public ImageRef withTag(String newTag) {
    Objects.requireNonNull(newTag, "newTag");
    if (transport == Transport.OCI || transport == Transport.OCI_ARCHIVE) {
      TransportSyntax.validateRefName(newTag, transport.prefix() + ":" + path + ":" + newTag);
      return new ImageRef(transport, null, null, newTag, null, path, -1);
    }
    if (repository == null) {
      throw new IllegalStateException(this + " has no image name to tag");
    }
    DockerReference.validateTag(toString(), newTag);
    return new ImageRef(transport, registry, repository, newTag, null, path, -1);
  }

  /** This reference pinned to {@code d}, keeping the tag ({@code name:tag@digest}). */
  public ImageRef withDigest(Digest d) {
    Objects.requireNonNull(d, "digest");
    if (transport != Transport.DOCKER) {
      throw new IllegalStateException(transport.prefix() + ": references cannot carry a digest: " + this);
    }
    return new ImageRef(transport, registry, repository, tag, d, null, -1);
  }

  /**
   * Canonical text: {@code docker.io/library/busybox:latest} for registry references (no
   * transport prefix), {@code oci:DIR:ref}, {@code docker-archive:FILE:docker.io/library/x:1}.
   */
  @Override
  public String toString() {
    return render(false);
  }

  /** The short docker form: {@code busybox:latest}, {@code user/app:1}, {@code host:5000/a:b}. */
  public String familiar() {
    return render(true);
  }

  /** The form skopeo accepts, with the transport always spelled out ({@code docker://...}). */
  public String transportForm() {
    return transport == Transport.DOCKER ? "docker://" + this : toString();
  }

  private String render(boolean familiar) {
    StringBuilder sb = new StringBuilder();
    if (transport.isFile()) {
      sb.append(transport.prefix()).append(':').append(path);
      if (sourceIndex >= 0) {
        return sb.append(":@").append(sourceIndex).toString();
      }
      if (repository == null) {
        return tag == null ? sb.toString() : sb.append(':').append(tag).toString();
      }
      sb.append(':');
    }
    sb.append(familiar ? DockerReference.familiarName(registry, repository) : name());
    if (tag != null) {
      sb.append(':').append(tag);
    }
    if (digest != null) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRef r && r.transport == transport && Objects.equals(r.registry, registry)
        && Objects.equals(r.repository, repository) && Objects.equals(r.tag, tag)
        && Objects.equals(r.digest, digest) && Objects.equals(r.path, path)
        && r.sourceIndex == sourceIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(transport, registry, repository, tag, digest, path, sourceIndex);
  }
}
