package dev.refit.settings.deploy;

import dev.refit.settings.SettingsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Merges the deploy settings' own patches with the common patches for its os_version, the way
 * Apex's {@code ApexDeployment.determine_patches} does: settings first, then common, keeping the
 * first occurrence of each patch. Stateless and thread-safe.
 *
 * <p>Unlike Apex, which compares raw dicts, entries are compared after filling in the default
 * branch, so the same change with and without an explicit default branch counts once.
 */
public final class PatchMerger {

  private PatchMerger() {}

  /**
   * The effective patch lists. Every Gerrit entry in the result has its branch set.
   *
   * @throws SettingsException if {@code common} has no entry for the os_version, or if one change
   *     is pinned to two different revisions
   */
  public static PatchLists merge(DeploySettings settings, Optional<CommonPatches> common) {
    PatchLists fromCommon = common
        .map(c -> c.forOsVersion(settings.osVersion(), settings.osVersionLocation()))
        .orElse(PatchLists.empty());
    String defaultBranch = settings.defaultBranch();
    return new PatchLists(
        merge(settings.patches().undercloud(), fromCommon.undercloud(), defaultBranch),
        merge(settings.patches().overcloud(), fromCommon.overcloud(), defaultBranch));
  }

  static List<PatchSpec> merge(List<PatchSpec> first, List<PatchSpec> second,
      String defaultBranch) {
    Map<String, PatchSpec> byKey = new LinkedHashMap<>();
    List<PatchSpec> all = new ArrayList<>(first);
    all.addAll(second);
    for (PatchSpec spec : all) {
      PatchSpec normalised = spec.source() == PatchSpec.Source.GERRIT && spec.branch() == null
          ? spec.withBranch(defaultBranch) : spec;
      String key = key(normalised);
      PatchSpec kept = byKey.get(key);
      if (kept == null) {
        byKey.put(key, normalised);
      } else if (!Objects.equals(kept.revision(), normalised.revision())) {
        throw new SettingsException(normalised.origin(),
            "change " + spec.changeId() + " (" + spec.project() + ", " + normalised.branch()
                + ") is listed again with revision " + describe(normalised.revision())
                + "; first listed at " + kept.origin() + " with revision "
                + describe(kept.revision()),
            "keep one entry, or give both the same 'revision'");
      }
    }
    return List.copyOf(byKey.values());
  }

  /** Identity of a patch for deduplication; the revision is compared separately. */
  static String key(PatchSpec spec) {
    return switch (spec.source()) {
      case GERRIT -> "gerrit\0" + spec.project() + "\0" + spec.changeId() + "\0" + spec.branch();
      case FILE -> "file\0" + spec.project() + "\0" + spec.file().toAbsolutePath().normalize();
      case TREE -> "tree\0" + spec.project() + "\0" + spec.tree().toAbsolutePath().normalize();
    };
  }

  private static String describe(String revision) {
    return revision == null ? "(latest)" : revision;
  }
}
