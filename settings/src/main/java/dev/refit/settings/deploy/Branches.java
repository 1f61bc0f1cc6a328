package dev.refit.settings.deploy;

/**
 * The branch rules shared by loading and deduplication. Stateless and thread-safe.
 *
 * <p>Apex fetches a change without an explicit {@code branch} from {@code master} when
 * {@code os_version} is {@code master} (its {@code DEFAULT_OS_VERSION}) and from
 * {@code stable/<os_version>} otherwise; refit uses the same rule.
 */
public final class Branches {

  /** Apex's {@code constants.DEFAULT_OS_VERSION}, also refit's default os_version. */
  public static final String DEFAULT_OS_VERSION = "master";

  private Branches() {}

  /** The branch a Gerrit change is fetched from when its entry names none. */
  public static String defaultBranch(String osVersion) {
    return DEFAULT_OS_VERSION.equals(osVersion) ? "master" : "stable/" + osVersion;
  }

  /**
   * The canonical spelling of a branch, so that {@code refs/heads/stable/queens} and
   * {@code stable/queens} compare equal (Gerrit accepts both).
   */
  public static String normalise(String branch) {
    String b = branch.strip();
    return b.startsWith("refs/heads/") ? b.substring("refs/heads/".length()) : b;
  }
}
