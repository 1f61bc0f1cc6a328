package dev.refit.patches.mapping;

import dev.refit.patches.fs.FileSource;
import dev.refit.patches.image.ImageAccess;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.mapping.Plan.PatchPlan;
import dev.refit.patches.mapping.Plan.Skip;
import dev.refit.patches.mapping.Plan.SkipReason;
import dev.refit.patches.mapping.Plan.Target;
import dev.refit.patches.source.FetchResult;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.patches.source.SkippedPatch;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.deploy.PatchSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds the {@link Plan}: maps each fetched patch to images, drops images that already contain a
 * merged change, and finds the path in each remaining image, reading every image once for the
 * union of the paths all its patches need. Blocking; not thread-safe (one per run).
 */
public final class Planner {
  private final ProjectImageMapper mapper;
  private final PathDetector detector;

  public Planner(RefitConfig config) {
    this.mapper = new ProjectImageMapper(config);
    this.detector = new PathDetector(config);
  }

  /**
   * @param images the service images to consider (see {@link ImageCatalog})
   * @throws MappingException under the strict policy when a patch matches no image
   */
  public Plan plan(FetchResult fetched, Collection<String> images, ImageAccess access) {
    List<String> warnings = new ArrayList<>(fetched.warnings());
    Map<FetchedPatch, ImageMatch> matches = new HashMap<>();
    Map<String, PathRequest> requests = new HashMap<>();
    for (FetchedPatch p : fetched.patches()) {
      ImageMatch m = mapper.map(p.spec().project(), images);
      mapper.checkMatched(p.spec(), m, images.size()).ifPresent(warnings::add);
      matches.put(p, m);
      if (p.spec().source() != PatchSpec.Source.TREE) {
        for (String image : m.images()) {
          requests.merge(image, detector.requestFor(p.spec().project()), PathRequest::union);
        }
      }
    }
    Map<String, FileSource> opened = new HashMap<>();
    Map<String, Optional<Instant>> buildTimes = new HashMap<>();
    List<PatchPlan> plans = new ArrayList<>();
    TreeSet<String> targeted = new TreeSet<>();
    for (FetchedPatch p : fetched.patches()) {
      ImageMatch m = matches.get(p);
      List<Target> targets = new ArrayList<>();
      List<Skip> skipped = new ArrayList<>();
      if (m.images().isEmpty()) {
        skipped.add(new Skip(null, SkipReason.NO_MATCH, "no image matches project " + m.project()));
      }
      for (String image : m.removed()) {
        skipped.add(new Skip(image, SkipReason.REMOVED_BY_OVERRIDE,
            "the override table removes " + image + " for " + m.project()));
      }
      for (String image : m.images()) {
        Optional<Instant> built = p.isMerged()
            ? buildTimes.computeIfAbsent(image, access::buildTime) : Optional.empty();
        if (built.isPresent() && p.promotedIn(built.get())) {
          skipped.add(new Skip(image, SkipReason.PROMOTED, "merged " + p.mergedAt()
              + ", image built " + built.get() + ": already contains the change"));
          continue;
        }
        String why = whyMatched(m, image);
        if (p.spec().source() == PatchSpec.Source.TREE) {
          targets.add(new Target(image, "", why + "; install/ tree laid over the image root"));
          targeted.add(image);
          continue;
        }
        FileSource files = opened.computeIfAbsent(image, i -> access.files(i, requests.get(i)));
        Optional<DetectedPath> path = detector.detect(p.spec().project(), files);
        if (path.isEmpty()) {
          skipped.add(new Skip(image, SkipReason.PATH_NOT_FOUND, "no directory for project "
              + m.project() + " (python package " + PathDetector.pythonPackage(m.project())
              + ", puppet module or templates) in " + image + "; set overrides." + m.project()
              + ".path in refit.yaml"));
          continue;
        }
        targets.add(new Target(image, path.get().path(), why + "; " + path.get().reason()));
        targeted.add(image);
      }
      skipped.sort(java.util.Comparator.comparing(s -> String.valueOf(s.image())));
      plans.add(patchPlan(p, targets, skipped));
    }
    for (SkippedPatch s : fetched.skipped()) {
      ImageMatch m = mapper.map(s.spec().project(), images);
      List<Skip> skipped = m.images().stream()
          .map(i -> new Skip(i, SkipReason.ABANDONED, s.warning())).toList();
      plans.add(new PatchPlan(s.spec().id(), s.spec().source().name(), s.spec().project(),
          s.spec().branch(), s.spec().revision(), s.status(), null, null, null, List.of(), skipped));
    }
    return new Plan(Plan.FORMAT_VERSION, plans, List.copyOf(targeted), warnings);
  }

  private static String whyMatched(ImageMatch m, String image) {
    return m.added().contains(image) ? "added by the override table for " + m.project()
        : "service " + image + " matches project " + m.project();
  }

  private static PatchPlan patchPlan(FetchedPatch p, List<Target> targets, List<Skip> skipped) {
    PatchSpec s = p.spec();
    return new PatchPlan(s.id(), s.source().name(), s.project(), s.branch(), p.revision(),
        p.status(), p.mergedAt() == null ? null : p.mergedAt().toString(), p.sha256().toString(),
        p.file().getFileName() == null ? p.file().toString() : p.file().getFileName().toString(),
        targets, skipped);
  }
}
