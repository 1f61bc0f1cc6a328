package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.refit.pipeline.fetch.ArtifactResult;
import dev.refit.pipeline.fetch.FetchAction;
import java.util.Locale;

/**
 * What {@code refit prepare} did for one file artifact of refit.yaml, as the report names it.
 * Immutable.
 *
 * @param url where it is served
 * @param dest its path relative to the cache directory, as configured
 * @param action {@code fetched} (new), {@code updated} (changed upstream) or {@code cached}
 *     (unchanged upstream, or offline)
 * @param bytes bytes downloaded in this run; 0 when cached
 */
@JsonPropertyOrder({"url", "dest", "action", "bytes"})
public record ArtifactOutcome(String url, String dest, String action, long bytes) {

  static ArtifactOutcome of(String dest, ArtifactResult result) {
    // Offline the fetcher answers CACHED; the report knows no separate offline action for files.
    FetchAction action = result.action() == FetchAction.OFFLINE ? FetchAction.CACHED : result.action();
    return new ArtifactOutcome(result.url().toString(), dest, action.name().toLowerCase(Locale.ROOT),
        result.bytes());
  }
}
