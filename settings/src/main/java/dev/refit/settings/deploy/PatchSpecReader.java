package dev.refit.settings.deploy;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlList;
import dev.refit.settings.yaml.YamlNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code undercloud}/{@code overcloud} patch lists, validating each entry. Shared by the
 * deploy settings and common patches loaders. Blocking (checks that local files exist);
 * stateless and thread-safe.
 */
final class PatchSpecReader {

  /** Gerrit Change-Id footer value: 'I' and 40 hex digits; a plain number is a change number. */
  private static final Pattern CHANGE_ID = Pattern.compile("I[0-9a-fA-F]{40}|[1-9][0-9]{0,9}");
  /** The label of a local file or tree: one line with something on it besides blanks. */
  private static final Pattern LABEL = Pattern.compile("[^\\r\\n]*\\S[^\\r\\n]*");
  /** A commit sha1, or a patchset number. */
  private static final Pattern REVISION = Pattern.compile("[0-9a-fA-F]{40}|[1-9][0-9]{0,5}");
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]+");

  private PatchSpecReader() {}

  /** Reads the {@code undercloud} and {@code overcloud} keys of {@code lists}. */
  static PatchLists readLists(MapReader lists, Path baseDir) {
    lists.allowOnly(ApexKeys.PATCH_LISTS);
    return new PatchLists(
        readList(lists, Target.UNDERCLOUD.key(), baseDir),
        readList(lists, Target.OVERCLOUD.key(), baseDir));
  }

  private static List<PatchSpec> readList(MapReader lists, String key, Path baseDir) {
    Optional<YamlList> list = lists.list(key);
    if (list.isEmpty()) {
      return List.of();
    }
    List<PatchSpec> out = new ArrayList<>();
    List<YamlNode> items = list.get().items();
    for (int i = 0; i < items.size(); i++) {
      out.add(readEntry(MapReader.of(items.get(i), lists.child(key) + "[" + i + "]"), baseDir));
    }
    return List.copyOf(out);
  }

  static PatchSpec readEntry(MapReader entry, Path baseDir) {
    entry.allowOnly(ApexKeys.PATCH_ENTRY);
    Location origin = entry.location();
    String project = entry.string("project").orElseThrow(
        () -> entry.missing("project", "the Gerrit project, e.g. openstack/nova"));
    check(entry, "project", project, PROJECT, "a Gerrit project name such as openstack/nova");
    Optional<String> changeId = entry.string("change-id");
    boolean hasFile = entry.has("file");
    boolean hasTree = entry.has("tree");
    // With 'file' or 'tree' the change-id is only a label (e.g. "local ceph build"): free-form,
    // but one non-blank line, as it lands in image labels and reports.
    changeId.ifPresent(id -> check(entry, "change-id", id,
        hasFile || hasTree ? LABEL : CHANGE_ID,
        hasFile || hasTree ? "a label on one line"
            : "a Change-Id (I followed by 40 hex digits) or a change number"));
    if (hasFile && hasTree) {
      throw entry.error("tree", "an entry cannot have both 'file' and 'tree'",
          "split it into two entries");
    }
    if (hasFile || hasTree) {
      String key = hasFile ? "file" : "tree";
      for (String gerritOnly : List.of("branch", "revision")) {
        if (entry.has(gerritOnly)) {
          throw entry.error(gerritOnly,
              "'" + gerritOnly + "' applies to Gerrit changes only, not to a local '" + key + "'",
              "remove '" + gerritOnly + "' from this entry");
        }
      }
      Path path = localPath(entry, key, baseDir, hasFile);
      return hasFile
          ? PatchSpec.file(changeId.orElse(null), project, path, origin)
          : PatchSpec.tree(changeId.orElse(null), project, path, origin);
    }
    String id = changeId.orElseThrow(() -> entry.missing(
        "change-id", "the change's Change-Id (or give 'file' or 'tree' for a local patch)"));
    String branch = entry.string("branch").orElse(null);
    if (branch != null) {
      check(entry, "branch", branch, BRANCH, "a branch name such as stable/queens");
      branch = Branches.normalise(branch);
    }
    return PatchSpec.gerrit(id, project, branch, revision(entry), origin);
  }

  private static String revision(MapReader entry) {
    Optional<YamlNode> node = entry.node("revision");
    if (node.isEmpty()) {
      return null;
    }
    String value = MapReader.text(node.get(), entry.child("revision"));
    check(entry, "revision", value, REVISION, "a commit sha1 (40 hex digits) or a patchset number");
    return value;
  }

  private static Path localPath(MapReader entry, String key, Path baseDir, boolean file) {
    String raw = entry.requiredString(key);
    Path path;
    try {
      path = baseDir.resolve(raw).normalize();
    } catch (InvalidPathException e) {
      throw entry.error(key, "'" + entry.child(key) + "' is not a valid path: " + raw,
          "write a path relative to this file's directory");
    }
    if (file ? !Files.isRegularFile(path) : !Files.isDirectory(path)) {
      throw entry.error(key,
          (file ? "patch file" : "tree directory") + " not found: " + path,
          "relative paths are resolved against the directory of this settings file");
    }
    return path;
  }

  private static void check(MapReader entry, String key, String value, Pattern pattern,
      String expected) {
    if (!pattern.matcher(value).matches()) {
      throw new SettingsException(entry.locationOf(key),
          "'" + entry.child(key) + "' is not valid: '" + value + "'", "expected " + expected);
    }
  }
}
