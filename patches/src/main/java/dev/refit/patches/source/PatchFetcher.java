package dev.refit.patches.source;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import dev.refit.settings.deploy.PatchSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns settings patch entries into local patch files: Gerrit changes are downloaded into a work
 * directory (each change+revision once), local files, series and trees are checked and
 * checksummed in place. Blocking; not thread-safe (one per run).
 *
 * <p>The work directory is also a cache, indexed by {@link PatchIndex}: online, a revision whose
 * file is already there with its recorded sha256 is not downloaded again (Gerrit is still asked
 * for the change, to learn its current revision and status). Offline, Gerrit is never contacted:
 * a change resolves to its pinned revision, else to the revision fetched last, from the cache;
 * whatever is not cached fails the call with one {@link PatchCacheMissException} listing it all.
 */
public final class PatchFetcher {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]*");

  private final GerritClient gerrit;
  private final Path workDir;
  private final long maxPatchBytes;
  private final GerritStep gerritStep;
  private final Clock clock;
  private final Map<String, FetchedPatch> byChangeRevision = new HashMap<>();
  private final Map<String, GerritChange> changes = new HashMap<>();
  private PatchIndex index;

  /**
   * @param gerrit null when no Gerrit is configured (Gerrit entries then fail clearly)
   * @param workDir where downloaded patches are written, as {@code <Change-Id>-<sha>.patch}
   */
  public PatchFetcher(GerritClient gerrit, Path workDir, long maxPatchBytes) {
    this(gerrit, workDir, maxPatchBytes, f -> f::fetchGerrit, Clock.systemUTC());
  }

  private PatchFetcher(GerritClient gerrit, Path workDir, long maxPatchBytes,
      Function<PatchFetcher, GerritStep> step, Clock clock) {
    this.gerrit = gerrit;
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.maxPatchBytes = maxPatchBytes;
    this.clock = clock;
    this.gerritStep = step.apply(this);
  }

  /** A fetcher that never contacts Gerrit: Gerrit changes come from {@code workDir}'s cache only. */
  public static PatchFetcher offline(Path workDir, long maxPatchBytes) {
    return new PatchFetcher(null, workDir, maxPatchBytes, f -> f::fromCache, Clock.systemUTC());
  }

  /** How a Gerrit entry is resolved: from Gerrit itself, or from the patch cache only. */
  @FunctionalInterface
  private interface GerritStep {
    void take(PatchSpec spec, List<FetchedPatch> out, List<SkippedPatch> skipped,
        List<String> missing, Run run);
  }

  /**
   * Fetches every entry in order; an abandoned change is skipped with a warning. When any entry
   * fails, the patches this call downloaded are deleted again, so a failed run leaves nothing;
   * on success the patch index is saved.
   *
   * @throws PatchCacheMissException offline, listing every Gerrit change not in the cache
   */
  public FetchResult fetchAll(List<PatchSpec> specs) {
    List<FetchedPatch> patches = new ArrayList<>();
    List<SkippedPatch> skipped = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Run run = new Run();
    try {
      for (PatchSpec spec : specs) {
        switch (spec.source()) {
          case GERRIT -> gerritStep.take(spec, patches, skipped, missing, run);
          case FILE -> patches.addAll(LocalPatches.load(spec));
          case TREE -> patches.add(LocalPatches.tree(spec));
          default -> throw new IllegalStateException("unknown source " + spec.source());
        }
      }
      if (!missing.isEmpty()) {
        throw new PatchCacheMissException(missing);
      }
    } catch (RuntimeException e) {
      run.discard();
      throw e;
    }
    run.commit();
    return new FetchResult(patches, skipped);
  }

  /** What one {@link #fetchAll} call downloaded and would record, undone when it fails. */
  private final class Run {
    private final List<Path> downloaded = new ArrayList<>();
    private final List<Runnable> records = new ArrayList<>();

    void record(String key, PatchIndex.Entry entry, boolean asLatest) {
      records.add(() -> index().put(key, entry, asLatest));
    }

    void commit() {
      if (!records.isEmpty()) {
        records.forEach(Runnable::run);
        index().save();
      }
    }

    void discard() {
      byChangeRevision.values().removeIf(p -> downloaded.contains(p.file()));
      for (Path file : downloaded) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // best effort; the run fails anyway with the original error
        }
      }
    }
  }

  private PatchIndex index() {
    if (index == null) {
      index = PatchIndex.load(workDir);
    }
    return index;
  }

  private void fetchGerrit(PatchSpec spec, List<FetchedPatch> out, List<SkippedPatch> skipped,
      List<String> missing, Run run) {
    if (gerrit == null) {
      throw new PatchSourceException("patch " + spec.changeId() + " (" + spec.origin()
          + ") is a Gerrit change but no Gerrit URL is configured; set gerrit_url in refit.yaml");
    }
    String branch = branch(spec);
    String triplet = GerritClient.tripletId(spec.project(), branch, spec.changeId());
    String indexKey = PatchIndex.key(spec.project(), branch, spec.changeId());
    GerritChange change = changes.get(triplet);
    if (change == null) {
      try {
        change = gerrit.change(spec.project(), branch, spec.changeId(), false);
      } catch (GerritChangeNotFoundException e) {
        throw new GerritChangeNotFoundException(Causes.describe(e) + " (configured at " + spec.origin() + ")");
      }
      changes.put(triplet, change);
    }
    boolean unpinned = spec.revision() == null || spec.revision().isBlank();
    if (GerritChange.ABANDONED.equals(change.status())) {
      skipped.add(abandoned(spec));
      if (unpinned && change.currentRevision() != null) {
        run.record(indexKey, new PatchIndex.Entry(change.currentRevision(), 0, null, null,
            change.status(), null, clock.instant()), true);
      }
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
    Digest sha = reusable(indexKey, revision, target).orElse(null);
    if (sha == null) {
      run.downloaded.add(target);
      sha = gerrit.downloadPatch(triplet, revision, target, maxPatchBytes);
    }
    FetchedPatch fetched = new FetchedPatch(spec, target, revision, change.status(),
        change.mergedAt(), sha);
    byChangeRevision.put(key, fetched);
    int patchset = unpinned || SHA.matcher(spec.revision()).matches()
        ? change.revisions().getOrDefault(revision, 0) : Integer.parseInt(spec.revision());
    run.record(indexKey, new PatchIndex.Entry(revision, patchset,
        target.getFileName().toString(), sha, change.status(), change.mergedAt(), clock.instant()),
        unpinned);
    out.add(fetched);
  }

  /** The recorded sha256 when {@code target} is cached and still hashes to it. */
  private Optional<Digest> reusable(String indexKey, String revision, Path target) {
    Optional<PatchIndex.Entry> known = index().get(indexKey, revision);
    if (known.isEmpty() || known.get().sha256() == null || !Files.isRegularFile(target)) {
      return Optional.empty();
    }
    Digest actual = LocalPatches.sha256(target);
    return actual.equals(known.get().sha256()) ? Optional.of(actual) : Optional.empty();
  }

  /** Offline: the pinned or last fetched revision from the cache, else a line in {@code missing}. */
  private void fromCache(PatchSpec spec, List<FetchedPatch> out, List<SkippedPatch> skipped,
      List<String> missing, Run run) {
    String branch = branch(spec);
    String indexKey = PatchIndex.key(spec.project(), branch, spec.changeId());
    String pinned = spec.revision();
    Optional<PatchIndex.Entry> entry;
    if (pinned == null || pinned.isBlank()) {
      entry = index().latest(indexKey);
    } else if (SHA.matcher(pinned).matches()) {
      entry = index().get(indexKey, pinned);
    } else if (NUMBER.matcher(pinned).matches()) {
      entry = index().patchset(indexKey, Integer.parseInt(pinned));
    } else {
      throw badRevision(spec);
    }
    if (entry.isPresent() && GerritChange.ABANDONED.equals(entry.get().status())) {
      skipped.add(abandoned(spec));
      return;
    }
    Path file = entry.map(e -> e.file() == null ? null : workDir.resolve(e.file())).orElse(null);
    if (file != null && Files.isRegularFile(file)
        && LocalPatches.sha256(file).equals(entry.get().sha256())) {
      PatchIndex.Entry e = entry.get();
      out.add(new FetchedPatch(spec, file, e.revision(), e.status(), e.mergedAt(), e.sha256()));
      return;
    }
    missing.add("Gerrit change " + spec.changeId() + " of " + spec.project() + " (branch " + branch
        + (pinned == null || pinned.isBlank() ? "" : ", revision " + pinned) + "), configured at "
        + spec.origin());
  }

  private static String branch(PatchSpec spec) {
    return spec.branch() == null ? "master" : spec.branch();
  }

  private static SkippedPatch abandoned(PatchSpec spec) {
    return new SkippedPatch(spec, GerritChange.ABANDONED, "skipping abandoned Gerrit change "
        + spec.changeId() + " of " + spec.project() + " (" + branch(spec) + "), configured at "
        + spec.origin() + "; remove it from the settings");
  }

  private static PatchSourceException badRevision(PatchSpec spec) {
    return new PatchSourceException("revision '" + spec.revision() + "' of change " + spec.changeId()
        + " at " + spec.origin() + " is neither a patchset number nor a 40-hex commit sha");
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
      throw badRevision(spec);
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
