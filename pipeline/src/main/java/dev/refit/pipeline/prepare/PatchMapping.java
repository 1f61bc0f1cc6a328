package dev.refit.pipeline.prepare;

import dev.refit.patches.image.ImageAccess;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.Planner;
import dev.refit.patches.mapping.ProjectImageMapper;
import dev.refit.patches.source.FetchResult;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.settings.config.RefitConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run's patches as each image sees them: which fetched patches map to an image by project,
 * and that image's plan. Thread-safe; {@link #planFor} and {@link #checkMatched} are blocking.
 */
final class PatchMapping {
  private final RefitConfig config;
  private final List<FetchedPatch> fetched;
  private final ImageAccess access;
  private final ProjectImageMapper mapper;
  private final Map<String, FetchedPatch> bySha;

  PatchMapping(RefitConfig config, List<FetchedPatch> fetched, ImageAccess access) {
    this.config = config;
    this.fetched = List.copyOf(fetched);
    this.access = access;
    this.mapper = new ProjectImageMapper(config);
    this.bySha = fetched.stream().collect(Collectors.toMap(
        p -> p.sha256().toString(), Function.identity(), (a, b) -> a));
  }

  /** Under the strict policy, a patch matching none of {@code names} is a settings error. */
  void checkMatched(List<String> names) {
    for (FetchedPatch p : fetched) {
      mapper.checkMatched(p.spec(), mapper.map(p.spec().project(), names), names.size());
    }
  }

  /**
   * The patches whose project maps to {@code service}; planning only these keeps a strict policy
   * from reporting "matches no image" for patches that belong to other images.
   */
  List<FetchedPatch> patchesFor(String service) {
    return fetched.stream()
        .filter(p -> mapper.map(p.spec().project(), List.of(service)).images().contains(service))
        .toList();
  }

  /** The plan of {@code service}: where each of its patches goes in its image, or why not. */
  Plan planFor(String service) {
    List<FetchedPatch> mine = patchesFor(service);
    return mine.isEmpty() ? new Plan(Plan.FORMAT_VERSION, List.of(), List.of(), List.of())
        : new Planner(config).plan(new FetchResult(mine, List.of()), List.of(service), access);
  }

  /** The fetched patch a plan names by its sha256. */
  Optional<FetchedPatch> bySha(String sha256) {
    return Optional.ofNullable(bySha.get(sha256));
  }

  ImageAccess access() {
    return access;
  }
}
