package dev.refit.registry.oci;

import dev.refit.error.Causes;
import java.util.regex.Pattern;

/**
 * The docker reference grammar and its normalisation: splits {@code [domain/]path[:tag][@digest]}
 * into parts with docker.io defaults. Stateless; thread-safe.
 *
 * <p>Follows distribution/reference (reference.go, regexp.go, normalize.go): a first path component
 * is a domain when it contains '.' or ':', is {@code localhost}, or has uppercase letters;
 * otherwise the domain is docker.io, and a single-component docker.io name gets {@code library/}.
 */
final class DockerReference {
  static final String DEFAULT_DOMAIN = "docker.io";
  static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  static final String OFFICIAL_PREFIX = "library/";
  /** distribution/reference NameTotalLengthMax. */
  static final int NAME_TOTAL_LENGTH_MAX = 255;

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final Pattern REMOTE_NAME =
      Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN_AND_PORT = Pattern.compile(
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST_GRAMMAR =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

  /** The parts of a parsed reference; tag and digest may be null. */
  record Parts(String domain, String path, String tag, Digest digest) {}

  private DockerReference() {}

  static Parts parse(String input) {
    if (input == null || input.isEmpty()) {
      throw invalid(input, "empty reference: expected [registry/]repository[:tag][@digest]");
    }
    if (IDENTIFIER.matcher(input).matches()) {
      throw invalid(input, "a 64-character hex string is an image ID, not a repository name;"
          + " use repository@sha256:<hex> to name an image by digest");
    }
    String rest = input;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = parseDigest(input, rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      validateTag(input, tag);
    }
    if (rest.isEmpty()) {
      throw invalid(input, "missing repository name");
    }
    String domain;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? null : rest.substring(0, slash);
    if (first == null || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
        && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
      domain = DEFAULT_DOMAIN;
      path = rest;
    } else {
      domain = first;
      path = rest.substring(slash + 1);
      if (!DOMAIN_AND_PORT.matcher(domain).matches()) {
        throw invalid(input, "invalid registry host '" + domain + "': expected host[:port],"
            + " e.g. registry.example.com:5000");
      }
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && path.indexOf('/') < 0) {
      path = OFFICIAL_PREFIX + path;
    }
    if (!path.toLowerCase(java.util.Locale.ROOT).equals(path)) {
      throw invalid(input, "repository name '" + path + "' must be lowercase");
    }
    if (!REMOTE_NAME.matcher(path).matches()) {
      throw invalid(input, "invalid repository name '" + path + "': path components are lowercase"
          + " letters and digits, separated by '.', '_', '__' or '-', joined by '/'");
    }
    if (domain.length() + 1 + path.length() > NAME_TOTAL_LENGTH_MAX) {
      throw invalid(input, "repository name must not be more than " + NAME_TOTAL_LENGTH_MAX
          + " characters");
    }
    return new Parts(domain, path, tag, digest);
  }

  static void validateTag(String input, String tag) {
    if (!TAG.matcher(tag).matches()) {
      throw invalid(input, "invalid tag '" + tag + "': a tag is 1 to 128 characters of"
          + " [A-Za-z0-9_.-] and must not start with '.' or '-'");
    }
  }

  private static Digest parseDigest(String input, String value) {
    if (!DIGEST_GRAMMAR.matcher(value).matches()) {
      throw invalid(input, "invalid digest '" + value + "': expected algorithm:hex, e.g. sha256:<64 hex>");
    }
    try {
      return Digest.parse(value);
    } catch (InvalidDigestException e) {
      throw invalid(input, Causes.describe(e));
    }
  }

  /** {@code docker.io/library/x} to {@code x}, {@code docker.io/a/b} to {@code a/b}. */
  static String familiarName(String domain, String path) {
    if (!DEFAULT_DOMAIN.equals(domain)) {
      return domain + "/" + path;
    }
    if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
      return path.substring(OFFICIAL_PREFIX.length());
    }
    return path;
  }

  static InvalidImageRefException invalid(String input, String why) {
    return new InvalidImageRefException("invalid image reference '" + input + "': " + why);
  }
}
