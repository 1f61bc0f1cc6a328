package dev.refit.settings.config;

import java.util.Objects;

/**
 * Where the official images come from. Either TripleO style — {@code registry}, {@code namespace}
 * and {@code namePrefix}, so service {@code nova-api} is
 * {@code <registry>/<namespace>/<namePrefix>nova-api:<tag>} — or a transport reference
 * ({@code docker://}, {@code oci:}, {@code oci-archive:}, {@code docker-archive:}) kept as text
 * for the registry module's {@code ImageRef} to parse. Immutable and thread-safe.
 *
 * @param reference the transport reference, null for {@link Kind#REGISTRY}
 * @param namespace null to derive it from os_version, see {@link #namespaceFor(String)}
 */
public record UpstreamConfig(Kind kind, String reference, String registry, String namespace,
    String namePrefix, String tag) {

  public static final String DEFAULT_REGISTRY = "docker.io";
  public static final String DEFAULT_NAME_PREFIX = "centos-binary-";
  /** Apex's {@code constants.DOCKER_TAG}. */
  public static final String DEFAULT_TAG = "current-tripleo-rdo";

  /** How the upstream is addressed. */
  public enum Kind {
    /** registry + namespace + name_prefix (the TripleO layout). */
    REGISTRY(""),
    DOCKER("docker://"),
    OCI("oci:"),
    OCI_ARCHIVE("oci-archive:"),
    DOCKER_ARCHIVE("docker-archive:");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  public UpstreamConfig {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(namePrefix, "namePrefix");
    Objects.requireNonNull(tag, "tag");
    if ((kind == Kind.REGISTRY) != (reference == null)) {
      throw new IllegalArgumentException("a reference is required exactly for transport kinds");
    }
  }

  public static UpstreamConfig defaults() {
    return new UpstreamConfig(
        Kind.REGISTRY, null, DEFAULT_REGISTRY, null, DEFAULT_NAME_PREFIX, DEFAULT_TAG);
  }

  /**
   * The configured namespace, or {@code tripleo<os_version>} (e.g. {@code tripleoqueens}), the
   * Docker Hub organisation TripleO publishes each release's images to.
   */
  public String namespaceFor(String osVersion) {
    return namespace != null ? namespace : "tripleo" + osVersion;
  }

  /** The repository of a service image for the REGISTRY kind, e.g. docker.io/tripleoqueens/... */
  public String repositoryFor(String osVersion, String service) {
    return registry + "/" + localRepositoryFor(osVersion, service);
  }

  /**
   * The same image's repository in the local registry: the upstream path without its host, as
   * Apex mirrored {@code docker.io/tripleoqueens/x} to {@code <undercloud>:8787/tripleoqueens/x}.
   */
  public String localRepositoryFor(String osVersion, String service) {
    return namespaceFor(osVersion) + "/" + namePrefix + service;
  }
}
