package dev.refit.registry.server;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.fs.GcReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The wire form of a {@link GcReport}, as {@code POST /refit/v1/gc} reports it and
 * {@code registry gc} reads it back. Stateless.
 */
public final class GcReportJson {
  private GcReportJson() {}

  public static JsonObject toJson(GcReport report) {
    return new JsonObject()
        .put("removedBlobs", new JsonArray(report.removedBlobs().stream().map(Digest::toString).toList()))
        .put("bytesFreed", report.bytesFreed())
        .put("dryRun", report.dryRun())
        .put("expiredUploads", new JsonArray(report.expiredUploads()))
        .put("unlinked", new JsonArray(report.unlinked()));
  }

  public static GcReport fromJson(JsonObject json) {
    return new GcReport(
        strings(json.getJsonArray("removedBlobs")).stream().map(Digest::parse).toList(),
        json.getLong("bytesFreed", 0L),
        json.getBoolean("dryRun", false),
        strings(json.getJsonArray("expiredUploads")),
        strings(json.getJsonArray("unlinked")));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
