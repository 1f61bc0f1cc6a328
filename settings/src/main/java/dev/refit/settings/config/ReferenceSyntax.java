package dev.refit.settings.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for upstream transport references and image name parts, so that a typo is
 * reported with its position in refit.yaml rather than when the pipeline first uses it. Only
 * syntax: the registry module's {@code ImageRef} does the real parsing. Stateless and thread-safe.
 *
 * <p>Grammar from distribution's reference package ("reference.go": domain, path-component,
 * tag, digest) and containers-transports(5) for {@code oci:}, {@code oci-archive:} and
 * {@code docker-archive:}.
 */
public final class ReferenceSyntax {

  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
  static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";

  static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
  static final Pattern NAMESPACE_PATTERN =
      Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  static final Pattern IMAGE_NAME_PATTERN = Pattern.compile(PATH_COMPONENT);
  static final Pattern TAG_PATTERN = Pattern.compile(TAG);
  /** A name prefix is glued in front of a path component, so it may end with a separator. */
  static final Pattern NAME_PREFIX_PATTERN = Pattern.compile("[a-z0-9._-]*");
  private static final Pattern DOCKER_REFERENCE =
      Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
  private static final int MAX_NAME_LENGTH = 255;

  private ReferenceSyntax() {}

  /** The transport kind of {@code text}, judged by its prefix; empty if it has none. */
  public static Optional<UpstreamConfig.Kind> kindOf(String text) {
    for (UpstreamConfig.Kind kind : UpstreamConfig.Kind.values()) {
      if (kind != UpstreamConfig.Kind.REGISTRY && text.startsWith(kind.prefix())) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a transport reference; returns its kind.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static UpstreamConfig.Kind check(String text) {
    UpstreamConfig.Kind kind = kindOf(text).orElseThrow(() -> new IllegalArgumentException(
        "'" + text + "' has no transport prefix (docker://, oci:, oci-archive:, docker-archive:)"));
    String rest = text.substring(kind.prefix().length());
    if (kind == UpstreamConfig.Kind.DOCKER) {
      checkDocker(rest);
    } else {
      // containers-transports(5): PATH[:REFERENCE]; the path part must not be empty.
      int colon = rest.indexOf(':');
      String path = colon < 0 ? rest : rest.substring(0, colon);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("'" + text + "' has an empty path");
      }
      if (colon >= 0 && colon == rest.length() - 1) {
        throw new IllegalArgumentException("'" + text + "' ends with ':' but names no reference");
      }
    }
    return kind;
  }

  private static void checkDocker(String rest) {
    if (rest.startsWith("//")) {
      throw new IllegalArgumentException("'docker:" + rest + "' has too many slashes");
    }
    var m = DOCKER_REFERENCE.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException("'docker://" + rest + "' is not a valid image reference"
          + (rest.chars().anyMatch(Character::isUpperCase)
              ? " (repository names must be lower-case)" : ""));
    }
    if (m.group(1).length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("repository name longer than 255 characters");
    }
  }
}
