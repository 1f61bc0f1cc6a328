package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one {@code refit prepare} run: a row per image, a line per file artifact, plus
 * the image lists rewritten.
 * Printed as a table and written as {@code refit-report.json}. Immutable; thread-safe.
 *
 * @param localRegistry host:port of the local registry the run published into
 * @param images one outcome per image, in the order images were listed
 * @param rewritten one summary line per rewritten image-list file
 * @param listsNote why the image lists were left unchanged, or which entries were kept as they
 *     were, when an image failed; null otherwise
 * @param artifacts one outcome per file artifact of refit.yaml, in settings order
 */
@JsonPropertyOrder({"localRegistry", "images", "artifacts", "rewritten", "listsNote"})
public record PrepareReport(String localRegistry, List<ImageOutcome> images, List<String> rewritten,
    String listsNote, List<ArtifactOutcome> artifacts) {
  public static final String FILE_NAME = "refit-report.json";

  public PrepareReport {
    images = List.copyOf(images);
    rewritten = List.copyOf(rewritten);
    artifacts = List.copyOf(artifacts);
  }

  /** A report with nothing to say about the image lists beyond the rewritten files. */
  public PrepareReport(String localRegistry, List<ImageOutcome> images, List<String> rewritten) {
    this(localRegistry, images, rewritten, null, List.of());
  }

  /** 0 when every image is done, 1 when any failed (the others still finished). */
  @JsonIgnore
  public int exitCode() {
    return images.stream().anyMatch(i -> i.action() == Action.FAILED) ? 1 : 0;
  }

  public String toJson() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the prepare report", e);
    }
  }

  /**
   * Writes the JSON to {@code dir/refit-report.json} through a temp file and an atomic rename,
   * so a reader never sees half a report. Blocking.
   */
  public Path writeTo(Path dir) {
    Path target = dir.resolve(FILE_NAME);
    try {
      AtomicFile.write(target, toJson().getBytes(StandardCharsets.UTF_8));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the prepare report to " + target, e);
    }
  }

  /**
   * The human table: one row per image, then a line per artifact, the rewritten files and the
   * lists note. Columns are as wide as their longest cell, so a long service name never shifts
   * the others.
   */
  public String table() {
    List<String> times = images.stream().map(i -> String.format("%.1fs", i.millis() / 1000.0)).toList();
    int name = Math.max("IMAGE".length(), images.stream().mapToInt(i -> i.service().length()).max().orElse(0));
    int action = Math.max("ACTION".length(),
        images.stream().mapToInt(i -> i.action().label().length()).max().orElse(0));
    int time = Math.max("TIME".length(), times.stream().mapToInt(String::length).max().orElse(0));
    String fmt = "%-" + name + "s %-" + action + "s %-19s %-19s %" + time + "s  %s%n";
    String indent = " ".repeat(name + 1);
    StringBuilder out = new StringBuilder(String.format(fmt, "IMAGE", "ACTION", "UPSTREAM DIGEST",
        "APEX DIGEST", "TIME", "UPSTREAM / DETAIL"));
    for (int n = 0; n < images.size(); n++) {
      ImageOutcome i = images.get(n);
      out.append(String.format(fmt, i.service(), i.action().label(), shortDigest(i.upstreamDigest()),
          shortDigest(i.apexDigest()), times.get(n), i.upstream()));
      String detail = i.reason() != null ? i.reason()
          : i.apexReference() != null ? "-> " + i.apexReference() : null;
      if (detail != null) {
        out.append(String.format("%s%s%n", indent, detail.replace("\n", "\n" + indent)));
      }
    }
    for (ArtifactOutcome a : artifacts) {
      out.append(String.format("artifact %-7s %s  %d bytes  %s%n", a.action(), a.dest(), a.bytes(), a.url()));
    }
    for (String r : rewritten) {
      out.append("rewrote ").append(r).append('\n');
    }
    if (listsNote != null) {
      out.append(listsNote).append('\n');
    }
    long failed = images.stream().filter(i -> i.action() == Action.FAILED).count();
    out.append(images.size()).append(" image(s), ").append(failed).append(" failed\n");
    return out.toString();
  }

  private static String shortDigest(String digest) {
    if (digest == null) {
      return "-";
    }
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
