package dev.refit.pipeline.mirror;

import dev.refit.pipeline.rewrite.RewriteResult;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The rows of a mirror run, as a table or JSON lines (one {@code result} line per image, then
 * one {@code report} line with the totals). Immutable.
 */
public record MirrorReport(List<MirrorOutcome> images, long millis, RewriteResult cephadmConf) {

  public MirrorReport {
    images = List.copyOf(images);
  }

  public MirrorReport(List<MirrorOutcome> images, long millis) {
    this(images, millis, null);
  }

  public MirrorReport withCephadmConf(RewriteResult value) {
    return new MirrorReport(images, millis, value);
  }

  public List<MirrorOutcome> failed() {
    return images.stream().filter(MirrorOutcome::failed).toList();
  }

  public String table() {
    int action = "ACTION".length() + 4;
    String fmt = "%-" + action + "s %-19s %7s %7s %7s %12s  %s%n";
    StringBuilder out = new StringBuilder(String.format(fmt, "ACTION", "DIGEST", "COPIED", "MOUNTED",
        "SKIPPED", "BYTES", "SOURCE -> DESTINATION"));
    for (MirrorOutcome i : images) {
      out.append(String.format(fmt, i.action(), shortDigest(i.digest()), i.blobsCopied(), i.blobsMounted(),
          i.blobsSkipped(), i.bytes(), i.source() + " -> " + i.destination()));
      if (i.error() != null) {
        out.append(String.format("%-" + action + "s %s%n", "", i.error()));
      }
    }
    out.append(String.format("%d image(s), %d failed, %d blob(s) copied, %d bytes, %.1fs%n", images.size(),
        failed().size(), images.stream().mapToInt(MirrorOutcome::blobsCopied).sum(), bytes(), millis / 1000.0));
    if (cephadmConf != null) {
      out.append("cephadm settings: ").append(cephadmConf.file()).append(", ").append(cephadmConf.changes().size())
          .append(" image(s) pointed at the mirror").append('\n');
    }
    return out.toString();
  }

  /** One JSON line per image, then the {@code report} line. */
  public String jsonLines() {
    StringBuilder out = new StringBuilder();
    images.forEach(i -> out.append(i.toJson().encode()).append('\n'));
    out.append(new JsonObject().put("type", "report").put("images", images.size()).put("failed", failed().size())
        .put("blobs_copied", images.stream().mapToInt(MirrorOutcome::blobsCopied).sum()).put("bytes", bytes())
        .put("millis", millis)
        .put("cephadm_conf", cephadmConf == null ? null : cephadmConf.file().toString()).encode()).append('\n');
    return out.toString();
  }

  private long bytes() {
    return images.stream().mapToLong(MirrorOutcome::bytes).sum();
  }

  private static String shortDigest(String digest) {
    return digest == null ? "-" : digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
