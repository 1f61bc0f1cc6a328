package dev.refit.pipeline.mirror;

import io.vertx.core.json.JsonObject;

/**
 * What happened to one image of a mirror run: a report row. Immutable.
 *
 * @param action {@code copied}, {@code assembled}, {@code unchanged} or {@code failed}
 * @param digest the manifest digest now under the destination reference (null when failed)
 * @param error why it failed, naming the blob when a blob failed; null otherwise
 */
public record MirrorOutcome(String source, String destination, String action, String digest, int blobsCopied,
    int blobsMounted, int blobsSkipped, long bytes, String error) {

  static final String COPIED = "copied";
  static final String ASSEMBLED = "assembled";
  static final String UNCHANGED = "unchanged";
  static final String FAILED = "failed";

  static MirrorOutcome unchanged(String source, String destination, String digest) {
    return new MirrorOutcome(source, destination, UNCHANGED, digest, 0, 0, 0, 0, null);
  }

  static MirrorOutcome failed(String source, String destination, String error) {
    return new MirrorOutcome(source, destination, FAILED, null, 0, 0, 0, 0, error);
  }

  public boolean failed() {
    return FAILED.equals(action);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("type", "result").put("source", source).put("destination", destination)
        .put("action", action).put("digest", digest).put("blobs_copied", blobsCopied)
        .put("blobs_mounted", blobsMounted).put("blobs_skipped", blobsSkipped).put("bytes", bytes);
    return error == null ? o : o.put("error", error);
  }

  /** The row {@link #toJson} wrote, as a cluster worker's reply carries it. */
  static MirrorOutcome fromJson(JsonObject j) {
    return new MirrorOutcome(j.getString("source"), j.getString("destination"), j.getString("action"),
        j.getString("digest"), j.getInteger("blobs_copied"), j.getInteger("blobs_mounted"),
        j.getInteger("blobs_skipped"), j.getLong("bytes"), j.getString("error"));
  }
}
