package dev.refit.patches.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.error.Causes;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fields refit uses of Gerrit's ChangeInfo entity (REST API, "changes" endpoint, ChangeInfo
 * and RevisionInfo). Immutable and thread-safe.
 *
 * @param id Gerrit's triplet id, {@code project~branch~Change-Id}
 * @param revisions commit sha → patchset number ({@code _number}); only the current one unless
 *     the change was fetched with {@code o=ALL_REVISIONS}
 * @param submitted null unless MERGED
 */
public record GerritChange(
    String id,
    String project,
    String branch,
    String changeId,
    String status,
    String currentRevision,
    Map<String, Integer> revisions,
    Instant submitted,
    Instant updated) {

  public static final String NEW = "NEW";
  public static final String MERGED = "MERGED";
  public static final String ABANDONED = "ABANDONED";

  /** Gerrit's XSSI guard line before every JSON body (REST API, "Output Format"). */
  static final String XSSI_PREFIX = ")]}'";

  /** Gerrit timestamps: "yyyy-mm-dd hh:mm:ss.fffffffff", always UTC (REST API, "Timestamp"). */
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();

  public GerritChange {
    revisions = Collections.unmodifiableMap(new TreeMap<>(revisions));
  }

  /** Parses a ChangeInfo body, with or without the XSSI prefix line. */
  public static GerritChange parse(byte[] body, String url) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.startsWith(XSSI_PREFIX)) {
      text = text.substring(XSSI_PREFIX.length());
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new PatchSourceException("Gerrit returned a body that is not JSON from " + url
          + ": " + Causes.describe(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new PatchSourceException("Gerrit returned no ChangeInfo object from " + url);
    }
    Map<String, Integer> revs = new TreeMap<>();
    JsonNode revNode = node.path("revisions");
    for (Iterator<Map.Entry<String, JsonNode>> it = revNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      revs.put(e.getKey(), e.getValue().path("_number").asInt(0));
    }
    String status = text(node, "status");
    if (status == null) {
      throw new PatchSourceException("Gerrit ChangeInfo from " + url + " has no status");
    }
    return new GerritChange(text(node, "id"), text(node, "project"), text(node, "branch"),
        text(node, "change_id"), status, text(node, "current_revision"), revs,
        timestamp(node, "submitted", url), timestamp(node, "updated", url));
  }

  /** Parses Gerrit's timestamp format, which is UTC without a zone designator. */
  public static Instant parseTimestamp(String value) {
    return LocalDateTime.parse(value, TIMESTAMP).toInstant(ZoneOffset.UTC);
  }

  /** The commit sha of patchset {@code number}, if this ChangeInfo lists it. */
  public Optional<String> revisionOfPatchset(int number) {
    return revisions.entrySet().stream().filter(e -> e.getValue() == number)
        .map(Map.Entry::getKey).findFirst();
  }

  /** When it was merged: {@code submitted}, else (older servers) {@code updated}. */
  public Instant mergedAt() {
    if (!MERGED.equals(status)) {
      return null;
    }
    return submitted != null ? submitted : updated;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant timestamp(JsonNode node, String field, String url) {
    String v = text(node, field);
    if (v == null) {
      return null;
    }
    try {
      return parseTimestamp(v);
    } catch (DateTimeParseException e) {
      throw new PatchSourceException("Gerrit ChangeInfo from " + url + " has a bad " + field
          + " timestamp '" + v + "' (expected yyyy-mm-dd hh:mm:ss.fffffffff)", e);
    }
  }
}
