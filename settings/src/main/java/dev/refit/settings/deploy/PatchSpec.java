package dev.refit.settings.deploy;

import dev.refit.settings.Location;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One patch entry of a deploy settings or common patches file: a Gerrit change (Apex's
 * {@code change-id}/{@code project}/{@code branch}, plus refit's optional pinned {@code revision}),
 * a local patch {@code file}, or an install/ {@code tree}. Immutable and thread-safe.
 *
 * <p>Nullable components: {@code changeId} (only for FILE and TREE, where it is a label),
 * {@code branch} (null until {@link PatchMerger} fills in the default branch; always null for FILE
 * and TREE), {@code revision}, {@code file} and {@code tree} (set only for their source).
 *
 * @param origin where the entry was written, for later error messages (Gerrit lookups, conflicts)
 */
public record PatchSpec(
    Source source,
    String changeId,
    String project,
    String branch,
    String revision,
    Path file,
    Path tree,
    Location origin) {

  /** Where the patch content comes from. */
  public enum Source {
    /** A change on the Gerrit server, fetched through its REST API. */
    GERRIT,
    /** A local {@code .patch}/{@code .diff} file or a kolla-style {@code series} file. */
    FILE,
    /** A directory of rebuilt files laid over the image (the install/ tree case). */
    TREE
  }

  public PatchSpec {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(origin, "origin");
    switch (source) {
      case GERRIT -> Objects.requireNonNull(changeId, "changeId");
      case FILE -> Objects.requireNonNull(file, "file");
      case TREE -> Objects.requireNonNull(tree, "tree");
      default -> throw new IllegalStateException();
    }
  }

  public static PatchSpec gerrit(
      String changeId, String project, String branch, String revision, Location origin) {
    return new PatchSpec(Source.GERRIT, changeId, project, branch, revision, null, null, origin);
  }

  public static PatchSpec file(String label, String project, Path file, Location origin) {
    return new PatchSpec(Source.FILE, label, project, null, null, file, null, origin);
  }

  public static PatchSpec tree(String label, String project, Path tree, Location origin) {
    return new PatchSpec(Source.TREE, label, project, null, null, null, tree, origin);
  }

  public PatchSpec withBranch(String newBranch) {
    return new PatchSpec(source, changeId, project, newBranch, revision, file, tree, origin);
  }

  /**
   * A short, stable name for logs, labels and file names: the change id, else the label, else
   * the file or directory name.
   */
  public String id() {
    if (changeId != null) {
      return changeId;
    }
    Path p = source == Source.FILE ? file : tree;
    Path name = p.getFileName();
    return name == null ? p.toString() : name.toString();
  }

  /** The project without Gerrit's {@code openstack/} namespace, as the mapping rules use it. */
  public String shortProject() {
    return project.startsWith("openstack/") ? project.substring("openstack/".length()) : project;
  }
}
