package dev.refit.pipeline.progress;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The job events prepare publishes on the event bus, as JSON objects with a {@code type}:
 * {@code queued} (an image entered the pipeline), {@code progress} (a stage started or moved,
 * with {@code stage}, {@code detail} and, where known, {@code bytes} / {@code totalBytes}),
 * {@code result} or {@code failure} (the image's last event, with {@code action}) and one
 * {@code done} per run. Every image's events start with {@code queued} and end with exactly one
 * {@code result} or {@code failure}. Stateless; thread-safe.
 */
public final class JobEvents {
  public static final String QUEUED = "queued";
  public static final String PROGRESS = "progress";
  public static final String RESULT = "result";
  public static final String FAILURE = "failure";
  public static final String DONE = "done";

  /** The stages an image goes through, in order; a bar counts them. */
  public static final List<String> STAGES = List.of("fetch", "plan", "patch", "rebuild", "publish");

  private JobEvents() {}

  public static JsonObject queued(String service, String upstream) {
    return new JsonObject().put("type", QUEUED).put("service", service).put("upstream", upstream);
  }

  /** A stage of one image started or moved on; {@code bytes} is null when not known. */
  public static JsonObject progress(String service, String stage, String detail, Long bytes) {
    JsonObject e = new JsonObject().put("type", PROGRESS).put("service", service)
        .put("stage", stage).put("detail", detail);
    if (bytes != null) {
      e.put("bytes", bytes);
    }
    return e;
  }

  public static JsonObject done(int exitCode) {
    return new JsonObject().put("type", DONE).put("exitCode", exitCode);
  }

  /** Whether {@code event} is an image's last one. */
  public static boolean isFinal(JsonObject event) {
    String type = event.getString("type");
    return RESULT.equals(type) || FAILURE.equals(type);
  }

  /**
   * The position of an event's stage in {@link #STAGES}: the docker builder reports
   * {@code build} (a rebuild) and {@code push} (a publish); an unknown stage counts as plan.
   */
  public static int stageIndex(String stage) {
    String s = stage == null ? "" : stage.toLowerCase(Locale.ROOT);
    return switch (s) {
      case "build" -> STAGES.indexOf("rebuild");
      case "push" -> STAGES.indexOf("publish");
      default -> STAGES.contains(s) ? STAGES.indexOf(s) : STAGES.indexOf("plan");
    };
  }
}
