package dev.refit.patches.source;

import dev.refit.registry.oci.Digest;
import dev.refit.settings.deploy.PatchSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns settings patch entries into local patch files: Gerrit changes are downloaded into a work
 * directory (each change+revision once), local files, series and trees are checked and
 * checksummed in place. Blocking; not thread-safe (one per run).
 */
public final class PatchFetcher {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]*");

  private final GerritClient gerrit;
  private final Path workDir;
  private final long maxPatchBytes;
  private final Map<String, FetchedPatch> byChangeRevision = new HashMap<>();
  private final Map<String, GerritChange> changes = new HashMap<>();

  /**
   * @param gerrit null when no Gerrit is configured (Gerrit entries then fail clearly)
   * @param workDir where downloaded patches are written, as {@code <Change-Id>-<sha>.patch}
   */
  public PatchFetcher(GerritClient gerrit, Path workDir, long maxPatchBytes) {
    this.gerrit = gerrit;
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.maxPatchBytes = maxPatchBytes;
  }

  /**
   * Fetches every entry in order; an abandoned change is skipped with a warning. When any entry
   * fails, the patches this call downloaded are deleted again, so a failed run leaves nothing.
   */
  public FetchResult fetchAll(List<PatchSpec> specs) {
    List<FetchedPatch> patches = new ArrayList<>();
    List<SkippedPatch> skipped = new ArrayList<>();
    List<String> downloadedBefore = List.copyOf(byChangeRevision.keySet());
    try {
      for (PatchSpec spec : specs) {
        switch (spec.source()) {
          case GERRIT -> fetchGerrit(spec, patches, skipped);
          case FILE -> patches.addAll(LocalPatches.load(spec));
          case TREE -> patches.add(LocalPatches.tree(spec));
          default -> throw new IllegalStateException("unknown source " + spec.source());
        }
      }
    } catch (RuntimeException e) {
      discardDownloadsExcept(downloadedBefore);
      throw e;
    }
    return new FetchResult(patches, skipped);
  }

  private void discardDownloadsExcept(List<String> keep) {
    byChangeRevision.keySet().removeIf(key -> {
      if (keep.contains(key)) {
        return false;
      }
      try {
        Files.deleteIfExists(byChangeRevision.get(key).file());
      } catch (IOException ignored) {
        // best effort; the run fails anyway with the original error
      }
      return true;
    });
  }

  private void fetchGerrit(PatchSpec spec, List<FetchedPatch> out, List<SkippedPatch> skipped) {
    if (gerrit == null) {
      throw new PatchSourceException("patch " + spec.changeId() + " (" + spec.origin()
          + ") is a Gerrit change but no Gerrit URL is configured; set gerrit_url in refit.yaml");
    }
    String branch = spec.branch() == null ? "master" : spec.branch();
    String triplet = GerritClient.tripletId(spec.project(), branch, spec.changeId());
    GerritChange change = changes.get(triplet);
    if (change == null) {
      try {
        change = gerrit.change(spec.project(), branch, spec.changeId(), false);
      } catch (GerritChangeNotFoundException e) {
        throw new GerritChangeNotFoundException(e.getMessage() + " (configured at " + spec.origin() + ")");
      }
      changes.put(triplet, change);
    }
    if (GerritChange.ABANDONED.equals(change.status())) {
      skipped.add(new SkippedPatch(spec, change.status(), "skipping abandoned Gerrit change "
          + spec.changeId() + " of " + spec.project() + " (" + branch + "), configured at "
          + spec.origin() + "; remove it from the settings"));
      return;
    }
    String revision = resolveRevision(spec, branch, change);
    String key = triplet + "@" + revision;
    FetchedPatch cached = byChangeRevision.get(key);
    if (cached != null) {
      out.add(cached);
      return;
    }
    Path target = workDir.resolve(safeName(spec.changeId()) + "-" + revision + ".patch");
    Digest sha = gerrit.downloadPatch(triplet, revision, target, maxPatchBytes);
    FetchedPatch fetched = new FetchedPatch(spec, target, revision, change.status(),
        change.mergedAt(), sha);
    byChangeRevision.put(key, fetched);
    out.add(fetched);
  }

  /** The commit sha to fetch: the pinned patchset number or sha, else the current revision. */
  private String resolveRevision(PatchSpec spec, String branch, GerritChange change) {
    String pinned = spec.revision();
    if (pinned == null || pinned.isBlank()) {
      if (change.currentRevision() == null) {
        throw new PatchSourceException("Gerrit change " + spec.changeId() + " has no current"
            + " revision in its ChangeInfo (asked with o=CURRENT_REVISION)");
      }
      return change.currentRevision();
    }
    if (SHA.matcher(pinned).matches()) {
      return pinned;
    }
    if (!NUMBER.matcher(pinned).matches()) {
      throw new PatchSourceException("revision '" + pinned + "' of change " + spec.changeId()
          + " at " + spec.origin() + " is neither a patchset number nor a 40-hex commit sha");
    }
    int number = Integer.parseInt(pinned);
    return change.revisionOfPatchset(number)
        .or(() -> gerrit.change(spec.project(), branch, spec.changeId(), true)
            .revisionOfPatchset(number))
        .orElseThrow(() -> new GerritChangeNotFoundException("change " + spec.changeId()
            + " of " + spec.project() + " (" + branch + ") has no patchset " + number
            + " (pinned at " + spec.origin() + ")"));
  }

  private static String safeName(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
