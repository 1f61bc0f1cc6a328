package dev.refit.pipeline.rewrite;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the pipeline tells the rewriter: the local registry, which services were patched (pushed
 * as {@code :apex} in this run or already there with the same build key), the digests it knows and
 * whether to pin by digest. Immutable; thread-safe.
 *
 * <p>An image keeps its upstream repository path in the local registry (the fetch stage mirrors
 * {@code docker.io/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo} to
 * {@code <local>/tripleoqueens/centos-binary-nova-api:current-tripleo-rdo}). A patched service
 * points at {@code <local>/<repo>:<apexTag>}; every other image at its mirror copy, same tag and,
 * if the upstream reference had one, same digest (fetching preserves digests).
 *
 * @param localRegistry host[:port] of the local registry, e.g. {@code 192.168.24.1:8787}
 * @param apexTag the tag of patched images, {@code apex} by default
 * @param patched services (see {@link #serviceOf}) whose image was patched
 * @param digests manifest digests by target reference without digest (canonical
 *     {@link ImageRef#toString()} form, e.g. {@code 192.168.24.1:8787/tripleoqueens/centos-binary-nova-api:apex})
 * @param pinDigests when true every new reference carries {@code @sha256:...}
 * @param namePrefixes kolla name prefixes stripped from the last path component to get the service
 * @param pushDestination when non-null, {@code push_destination} values in overcloud_containers.yaml are set to it
 * @param held services whose image failed in this run: their references are left exactly as they
 *     are, never pointed at the mirror copy of an unpatched upstream tag
 */
public record ImageMapping(String localRegistry, String apexTag, Set<String> patched,
    Map<String, Digest> digests, boolean pinDigests, List<String> namePrefixes, String pushDestination,
    Set<String> held) {

  /** The kolla/TripleO image name prefixes (kolla {@code <distro>-<type>-}, RHOSP {@code openstack-}). */
  public static final List<String> DEFAULT_NAME_PREFIXES = List.of(
      "centos-binary-", "centos-source-", "ubuntu-binary-", "ubuntu-source-", "debian-binary-",
      "debian-source-", "rhel-binary-", "rhel-source-", "openstack-");

  public ImageMapping {
    Objects.requireNonNull(localRegistry, "localRegistry");
    Objects.requireNonNull(apexTag, "apexTag");
    if (localRegistry.isBlank() || localRegistry.contains("/")) {
      throw new IllegalArgumentException("local registry must be host[:port], got '" + localRegistry + "'");
    }
    patched = Set.copyOf(patched);
    held = Set.copyOf(held);
    digests = Map.copyOf(digests);
    namePrefixes = List.copyOf(namePrefixes);
  }

  /** Everything to the mirror copies in {@code localRegistry}, nothing patched, no pinning. */
  public static ImageMapping of(String localRegistry) {
    return new ImageMapping(localRegistry, "apex", Set.of(), Map.of(), false, DEFAULT_NAME_PREFIXES, null,
        Set.of());
  }

  public ImageMapping withPatched(Set<String> services) {
    return new ImageMapping(localRegistry, apexTag, services, digests, pinDigests, namePrefixes, pushDestination, held);
  }

  public ImageMapping withApexTag(String tag) {
    return new ImageMapping(localRegistry, tag, patched, digests, pinDigests, namePrefixes, pushDestination, held);
  }

  /** Adds one digest for {@code targetRef} (a reference without digest, any spelling ImageRef reads). */
  public ImageMapping withDigest(String targetRef, Digest digest) {
    Map<String, Digest> copy = new HashMap<>(digests);
    copy.put(ImageRef.parse(targetRef).toString(), digest);
    return new ImageMapping(localRegistry, apexTag, patched, copy, pinDigests, namePrefixes, pushDestination, held);
  }

  /**
   * Records a patched image pushed (or found with the same build key) as
   * {@code <local>/<repository>:<apexTag>} with manifest {@code digest}: marks its service patched
   * and remembers the digest for pinning. Set the apex tag first when it is not {@code apex}.
   */
  public ImageMapping withApexImage(String repository, Digest digest) {
    Set<String> services = new HashSet<>(patched);
    services.add(serviceOfName(lastComponent(repository)));
    return withPatched(services).withDigest(ImageRef.of(localRegistry, repository, apexTag, null).toString(), digest);
  }

  /** Records the digest of the mirror copy of {@code upstreamRef} (same repository path and tag). */
  public ImageMapping withMirrorDigest(String upstreamRef, Digest digest) {
    ImageRef up = ImageRef.parse(upstreamRef);
    return withDigest(ImageRef.of(localRegistry, up.repository(), up.tag(), null).toString(), digest);
  }

  /**
   * Records an image that failed in this run, {@code <local>/<repository>} once fetched: its
   * service is held, so every reference to it is left as it is.
   */
  public ImageMapping withHeldImage(String repository) {
    Set<String> services = new HashSet<>(held);
    services.add(serviceOfName(lastComponent(repository)));
    return new ImageMapping(localRegistry, apexTag, patched, digests, pinDigests, namePrefixes,
        pushDestination, services);
  }

  public ImageMapping withPinDigests(boolean pin) {
    return new ImageMapping(localRegistry, apexTag, patched, digests, pin, namePrefixes, pushDestination, held);
  }

  public ImageMapping withPushDestination(String destination) {
    return new ImageMapping(localRegistry, apexTag, patched, digests, pinDigests, namePrefixes, destination, held);
  }

  /**
   * The service of an image: the last path component of its repository minus the first matching
   * name prefix ({@code docker.io/tripleoqueens/centos-binary-nova-api:x} → {@code nova-api}).
   */
  public String serviceOf(ImageRef ref) {
    return serviceOfName(lastComponent(ref.repository()));
  }

  /** The service for an image name such as {@code centos-binary-nova-api}. */
  public String serviceOfName(String imageName) {
    for (String prefix : namePrefixes) {
      if (imageName.startsWith(prefix) && imageName.length() > prefix.length()) {
        return imageName.substring(prefix.length());
      }
    }
    return imageName;
  }

  public boolean isPatched(String service) {
    return patched.contains(service);
  }

  public boolean isHeld(String service) {
    return held.contains(service);
  }

  /**
   * The new reference text for {@code current}. A held service's reference is not mapped: the
   * rewriters keep its text as it is (see {@link #isHeld}).
   *
   * @throws IllegalArgumentException when pinning is on and no digest is known for the target
   */
  public String target(ImageRef current) {
    boolean isPatched = isPatched(serviceOf(current));
    String tag = isPatched ? apexTag : current.tag();
    ImageRef base = ImageRef.of(localRegistry, current.repository(), tag, null);
    Digest digest = isPatched ? null : current.digest();
    if (pinDigests) {
      Digest known = tag == null ? null : digests.get(base.toString());
      if (known != null) {
        digest = known;
      }
      if (digest == null) {
        throw new IllegalArgumentException("no digest known for " + base + " (digest pinning is on):"
            + " this run recorded no digest for it; fetch or publish the image first, or turn pinning off");
      }
    }
    return digest == null ? base.toString() : ImageRef.of(localRegistry, current.repository(), tag, digest).toString();
  }

  /**
   * A namespace ({@code registry/path}, or a bare docker.io path) moved to the local registry,
   * keeping its path: {@code docker.io/tripleomaster} → {@code <local>/tripleomaster}.
   */
  public String localNamespace(String namespace) {
    String ns = namespace.endsWith("/") ? namespace.substring(0, namespace.length() - 1) : namespace;
    int slash = ns.indexOf('/');
    String first = slash < 0 ? ns : ns.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (hasRegistry && first.equals(localRegistry)) {
      return ns;
    }
    String path = hasRegistry ? ns.substring(slash + 1) : ns;
    return localRegistry + "/" + path;
  }

  static String lastComponent(String repository) {
    return repository.substring(repository.lastIndexOf('/') + 1);
  }
}
