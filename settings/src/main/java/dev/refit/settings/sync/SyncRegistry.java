package dev.refit.settings.sync;

import dev.refit.settings.Location;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One registry of a sync file: skopeo sync's keys plus refit's own under {@code refit:}.
 * Immutable; maps keep file order.
 *
 * @param host the top-level key: {@code host[:port]}, optionally followed by {@code /path}
 *     that skopeo prepends to every repository name
 * @param location where the key is, for messages about this registry
 * @param images repository → tags or digests; an empty list means every tag (tags API)
 * @param tagRegex repository → pattern searched in each tag (Go's {@code MatchString}: not anchored)
 * @param tlsVerify {@code tls-verify}, null when not given (verify, loopback uses plain HTTP)
 * @param credentials {@code credentials}, null for the docker config's
 * @param certDir {@code cert-dir}, null when not given
 * @param platforms {@code refit.platforms}: {@code os/arch[/variant]} to keep of each index;
 *     empty keeps all
 * @param retag {@code refit.retag}: repository → (source tag → destination tag)
 * @param assemble {@code refit.assemble}: repository → (index tag → per-platform source tags)
 */
public record SyncRegistry(
    String host,
    Location location,
    Map<String, List<String>> images,
    Map<String, Pattern> tagRegex,
    Boolean tlsVerify,
    SyncCredentials credentials,
    Path certDir,
    List<String> platforms,
    Map<String, Map<String, String>> retag,
    Map<String, Map<String, List<String>>> assemble) {

  public SyncRegistry {
    images = ordered(images);
    tagRegex = ordered(tagRegex);
    platforms = List.copyOf(platforms);
    retag = ordered(retag);
    assemble = ordered(assemble);
  }

  /** The registry part of {@link #host()}, e.g. {@code quay.io} for {@code quay.io/ceph}. */
  public String registry() {
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }

  /**
   * The repository path inside {@link #registry()} for a name under this key, as skopeo builds
   * it ({@code host/name} normalised: Docker Hub's one-word names gain {@code library/}).
   */
  public String repository(String name) {
    int slash = host.indexOf('/');
    String path = slash < 0 ? name : host.substring(slash + 1) + "/" + name;
    boolean hub = registry().equals("docker.io") || registry().equals("index.docker.io");
    return hub && !path.contains("/") ? "library/" + path : path;
  }

  /** The destination tag for {@code tag} of {@code repository} (a name under this key). */
  public String retagged(String name, String tag) {
    return retag.getOrDefault(name, Map.of()).getOrDefault(tag, tag);
  }

  private static <K, V> Map<K, V> ordered(Map<K, V> map) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
