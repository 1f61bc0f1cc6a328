package dev.refit.registry.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.error.Causes;
import dev.refit.registry.oci.json.FieldReader;
import dev.refit.registry.oci.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed image configuration (OCI config or Docker container image v1 JSON). Immutable;
 * thread-safe.
 *
 * <p>OCI image-spec config.md. architecture, os and rootfs are required; everything else is
 * optional. The whole JSON tree is kept (privately, never exposed) so that a modified config
 * written with {@link #toJson()} keeps fields refit does not model, such as Docker's
 * {@code container_config} or {@code Healthcheck}.
 */
public final class ImageConfig {

  /** The {@code config} section: how a container of this image runs. Immutable. */
  public record RunConfig(
      List<String> env,
      List<String> entrypoint,
      List<String> cmd,
      String user,
      String workingDir,
      Map<String, String> labels,
      List<String> exposedPorts,
      List<String> volumes,
      String stopSignal) {
    public RunConfig {
      env = env == null ? List.of() : List.copyOf(env);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      cmd = cmd == null ? null : List.copyOf(cmd);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    static RunConfig empty() {
      return new RunConfig(null, null, null, null, null, null, null, null, null);
    }
  }

  /** One {@code history} entry; {@code emptyLayer} entries have no layer in rootfs. */
  public record History(
      String created, String createdBy, String author, String comment, boolean emptyLayer) {}

  private final ObjectNode tree;
  private final String architecture;
  private final String os;
  private final String variant;
  private final String osVersion;
  private final String created;
  private final String author;
  private final RunConfig config;
  private final String rootfsType;
  private final List<Digest> diffIds;
  private final List<History> history;

  private ImageConfig(ObjectNode tree) {
    FieldReader r = FieldReader.of(tree, "config", InvalidImageConfigException::new);
    this.tree = tree;
    this.architecture = r.requiredString("architecture");
    this.os = r.requiredString("os");
    this.variant = r.optionalString("variant");
    this.osVersion = r.optionalString("os.version");
    this.created = r.optionalString("created");
    this.author = r.optionalString("author");
    FieldReader c = r.optionalObject("config");
    this.config = c == null ? RunConfig.empty() : readRunConfig(c);
    FieldReader rootfs = r.requiredObject("rootfs");
    this.rootfsType = rootfs.requiredString("type");
    if (!"layers".equals(rootfsType)) {
      throw rootfs.error("type", "must be \"layers\", got \"" + rootfsType + "\"");
    }
    List<String> ids = rootfs.optionalStringList("diff_ids");
    if (ids == null) {
      throw rootfs.error("diff_ids", "is required but missing (an empty array is allowed)");
    }
    List<Digest> parsed = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      try {
        parsed.add(Digest.parse(ids.get(i)));
      } catch (InvalidDigestException e) {
        throw rootfs.error("diff_ids[" + i + "]", Causes.describe(e));
      }
    }
    this.diffIds = List.copyOf(parsed);
    List<FieldReader> h = r.optionalObjects("history");
    List<History> hs = new ArrayList<>();
    if (h != null) {
      for (FieldReader e : h) {
        hs.add(new History(e.optionalString("created"), e.optionalString("created_by"),
            e.optionalString("author"), e.optionalString("comment"), emptyLayer(e)));
      }
    }
    this.history = List.copyOf(hs);
  }

  /**
   * Parses config bytes.
   *
   * @throws InvalidImageConfigException naming the field at fault
   */
  public static ImageConfig parse(byte[] json) {
    return new ImageConfig(
        Json.readObject(json, "image config", InvalidImageConfigException::new));
  }

  private static RunConfig readRunConfig(FieldReader c) {
    return new RunConfig(
        c.optionalStringList("Env"),
        c.optionalStringList("Entrypoint"),
        c.optionalStringList("Cmd"),
        c.optionalString("User"),
        c.optionalString("WorkingDir"),
        c.stringMap("Labels"),
        c.keysOf("ExposedPorts"),
        c.keysOf("Volumes"),
        c.optionalString("StopSignal"));
  }

  private static boolean emptyLayer(FieldReader e) {
    if (!e.has("empty_layer")) {
      return false;
    }
    if (!e.node().get("empty_layer").isBoolean()) {
      throw e.error("empty_layer", "must be a boolean");
    }
    return e.node().get("empty_layer").booleanValue();
  }

  public String architecture() {
    return architecture;
  }

  public String os() {
    return os;
  }

  /** CPU variant, e.g. {@code v8}; null when absent. */
  public String variant() {
    return variant;
  }

  public String osVersion() {
    return osVersion;
  }

  /** RFC 3339 creation time as written; null when absent. */
  public String created() {
    return created;
  }

  public String author() {
    return author;
  }

  public RunConfig config() {
    return config;
  }

  public Platform platform() {
    return new Platform(os, architecture, variant, osVersion, List.of());
  }

  /** Uncompressed layer digests, base layer first (config.md "rootfs"). */
  public List<Digest> diffIds() {
    return diffIds;
  }

  public List<History> history() {
    return history;
  }

  /** History entries that correspond to a layer; should equal {@code diffIds().size()}. */
  public long layerHistoryCount() {
    return history.stream().filter(h -> !h.emptyLayer()).count();
  }

  /**
   * This config with one more layer on top: its diff_id appended to rootfs and {@code entry}
   * appended to history (when history is present or the config has none yet, which keeps the
   * count of non-empty history entries equal to the count of layers).
   */
  public ImageConfig withAppendedLayer(Digest diffId, History entry) {
    Objects.requireNonNull(diffId, "diffId");
    ObjectNode copy = tree.deepCopy();
    copy.withObject("rootfs").withArray("diff_ids").add(diffId.toString());
    if (entry != null) {
      ObjectNode h = copy.withArray("history").addObject();
      if (entry.created() != null) {
        h.put("created", entry.created());
      }
      if (entry.createdBy() != null) {
        h.put("created_by", entry.createdBy());
      }
      if (entry.author() != null) {
        h.put("author", entry.author());
      }
      if (entry.comment() != null) {
        h.put("comment", entry.comment());
      }
      if (entry.emptyLayer()) {
        h.put("empty_layer", true);
      }
    }
    return new ImageConfig(copy);
  }

  /** This config with {@code labels} merged over the existing ones. */
  public ImageConfig withLabels(Map<String, String> labels) {
    ObjectNode copy = tree.deepCopy();
    ObjectNode l = copy.withObject("config").withObject("Labels");
    new java.util.TreeMap<>(labels).forEach(l::put);
    return new ImageConfig(copy);
  }

  /**
   * Compact JSON of the (possibly modified) tree. A new config gets a new digest; an unmodified
   * received config must be copied as its original bytes, not as this output.
   */
  public byte[] toJson() {
    return Json.write(tree);
  }

  @Override
  public String toString() {
    return "ImageConfig[" + platform() + ", " + diffIds.size() + " layers]";
  }
}
