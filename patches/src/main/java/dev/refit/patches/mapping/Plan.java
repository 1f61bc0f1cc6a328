package dev.refit.patches.mapping;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What refit will change: for each patch, in settings order, the images and paths it applies to
 * and the images skipped, with reasons. Serialised by {@link PlanJson} as documented in
 * docs/plan-json.md. Immutable and thread-safe.
 *
 * @param version the JSON format version, {@link #FORMAT_VERSION}
 * @param images every image with at least one target, sorted
 * @param warnings run-level warnings (abandoned changes, unmatched patches under lenient)
 */
@JsonPropertyOrder({"version", "patches", "images", "warnings"})
public record Plan(int version, List<PatchPlan> patches, List<String> images, List<String> warnings) {
  public static final int FORMAT_VERSION = 1;

  public Plan {
    patches = List.copyOf(patches);
    images = List.copyOf(images);
    warnings = List.copyOf(warnings);
  }

  /** The patches targeting {@code image}, in order, with the path for each. */
  public List<PatchPlan> patchesFor(String image) {
    return patches.stream().filter(p -> p.targets().stream().anyMatch(t -> t.image().equals(image)))
        .toList();
  }

  /** One patch's placement. */
  @JsonPropertyOrder({"id", "source", "project", "branch", "revision", "status", "mergedAt",
      "sha256", "file", "targets", "skipped"})
  public record PatchPlan(String id, String source, String project, String branch, String revision,
      String status, String mergedAt, String sha256, String file, List<Target> targets,
      List<Skip> skipped) {
    public PatchPlan {
      targets = List.copyOf(targets);
      skipped = List.copyOf(skipped);
    }
  }

  /** An image the patch applies to: {@code path} is relative to the image root. */
  @JsonPropertyOrder({"image", "path", "reason"})
  public record Target(String image, String path, String reason) {}

  /** An image the patch matched but will not touch. */
  @JsonPropertyOrder({"image", "reason", "detail"})
  public record Skip(String image, SkipReason reason, String detail) {}

  /** Why a matched image is left alone. */
  public enum SkipReason {
    /** No image matched the project (the image is null). */
    NO_MATCH,
    /** The override table removes the image for this project. */
    REMOVED_BY_OVERRIDE,
    /** The change merged before the image was built, so the image already has it. */
    PROMOTED,
    /** The change is abandoned; it is applied nowhere. */
    ABANDONED,
    /** The project's directory was not found in the image. */
    PATH_NOT_FOUND
  }
}
