package dev.refit.registry.store;

import java.util.regex.Pattern;

/**
 * Validates repository names before they reach a file path. Thread-safe (stateless).
 *
 * <p>Grammar from distribution-spec spec.md "Pulling manifests" ({@code <name>}):
 * {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}. Because each
 * component must start and end with {@code [a-z0-9]}, the grammar alone already excludes
 * {@code ..}, {@code .}, empty components, absolute paths, {@code %2F} and backslashes; the
 * explicit checks below only exist to give a precise message for those attacks. Names are also
 * capped at 255 characters, as distribution's reference package does, so that a path built from
 * a name stays well inside filesystem limits.
 */
public final class RepositoryName {
  /** distribution's reference.NameTotalLengthMax. */
  public static final int MAX_LENGTH = 255;

  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
  private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

  private RepositoryName() {}

  /**
   * Throws unless {@code name} is a valid repository name.
   *
   * @throws InvalidRepositoryNameException naming the problem and the expected form
   */
  public static void validate(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid("", "it is empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw invalid(name, "it is " + name.length() + " characters long, the limit is " + MAX_LENGTH);
    }
    if (name.startsWith("/")) {
      throw invalid(name, "it is an absolute path");
    }
    if (name.indexOf('\\') >= 0) {
      throw invalid(name, "it contains a backslash");
    }
    if (name.indexOf('%') >= 0) {
      throw invalid(name, "it contains percent-encoding (e.g. %2F); send the name decoded");
    }
    for (String component : name.split("/", -1)) {
      if (component.isEmpty()) {
        throw invalid(name, "it has an empty path component");
      }
      if (component.equals("..") || component.equals(".")) {
        throw invalid(name, "it has a '" + component + "' path component");
      }
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid(
          name,
          "each '/'-separated component must be lowercase letters and digits, optionally joined"
              + " by '.', '_', '__' or '-'");
    }
  }

  /** True when {@link #validate} would accept {@code name}. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (InvalidRepositoryNameException e) {
      return false;
    }
  }

  private static InvalidRepositoryNameException invalid(String name, String why) {
    String shown = name.length() > 80 ? name.substring(0, 77) + "..." : name;
    return new InvalidRepositoryNameException(
        "invalid repository name '" + shown + "': " + why
            + " (expected e.g. 'library/ubuntu' or 'tripleo/centos-binary-nova-api')");
  }
}
