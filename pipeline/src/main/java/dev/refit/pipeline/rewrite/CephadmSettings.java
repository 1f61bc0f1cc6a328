package dev.refit.pipeline.rewrite;

import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.ImageRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes cephadm's image settings for a mirrored image set, as a file for {@code ceph config
 * assimilate-conf -i FILE}: the upstream references are laid out as cephadm names them, then
 * {@link CephadmConfRewriter} points them at the mirror, exactly as it rewrites an operator's own
 * file. Blocking; stateless.
 */
public final class CephadmSettings {
  /** cephadm's per-daemon settings, by image name (the last path component of the repository). */
  private static final Map<String, String> MGR_KEYS = Map.of(
      "ceph-grafana", "grafana",
      "grafana", "grafana",
      "prometheus", "prometheus",
      "alertmanager", "alertmanager",
      "node-exporter", "node_exporter",
      "haproxy", "haproxy",
      "keepalived", "keepalived",
      "loki", "loki",
      "promtail", "promtail");
  /** The cluster's own image: {@code [global] container_image}. */
  private static final String CEPH = "ceph";
  private static final List<String> ORDER = List.of(
      "prometheus", "grafana", "alertmanager", "node_exporter", "haproxy", "keepalived", "loki", "promtail");

  private CephadmSettings() {
  }

  /** True when {@code repository} is an image cephadm has a setting for. */
  public static boolean isCephadmImage(String repository) {
    String name = ImageMapping.lastComponent(repository);
    return name.equals(CEPH) || MGR_KEYS.containsKey(name);
  }

  /**
   * Writes {@code file} (an existing one is kept as {@code FILE.bak}) with the settings for
   * {@code upstreamRefs}, mapped through {@code mapping}. The first reference of each setting
   * wins; references cephadm has no setting for are left out.
   *
   * @throws RewriteException when none of the references is a cephadm image, or the file cannot be written
   */
  public static RewriteResult write(Path file, List<String> upstreamRefs, ImageMapping mapping) {
    String global = null;
    Map<String, String> mgr = new LinkedHashMap<>();
    for (String ref : upstreamRefs) {
      String name = ImageMapping.lastComponent(ImageRef.parse(ref).repository());
      if (name.equals(CEPH)) {
        global = global == null ? ref : global;
      } else if (MGR_KEYS.containsKey(name)) {
        mgr.putIfAbsent(MGR_KEYS.get(name), ref);
      }
    }
    if (global == null && mgr.isEmpty()) {
      throw new RewriteException(file, "none of the mirrored images is one cephadm deploys (ceph, grafana,"
          + " prometheus, alertmanager, node-exporter, haproxy, keepalived, loki, promtail); nothing to write", null);
    }
    StringBuilder text = new StringBuilder("# cephadm images in the mirror, written by refit mirror --cephadm-conf.\n"
        + "# Apply with: ceph config assimilate-conf -i " + file.getFileName() + "\n");
    if (global != null) {
      text.append("[global]\n\tcontainer_image = ").append(global).append('\n');
    }
    if (!mgr.isEmpty()) {
      text.append("[mgr]\n");
      ORDER.stream().filter(mgr::containsKey).forEach(key -> text.append('\t')
          .append(CephadmCommandsRewriter.MGR_KEY_PREFIX).append(key).append(" = ").append(mgr.get(key)).append('\n'));
    }
    ImageListRewriter.Rewritten r = ImageListRewriter.rewriteText(file, text.toString(), mapping);
    byte[] bytes = r.text().getBytes(StandardCharsets.UTF_8);
    if (Files.exists(file)) {
      return new RewriteResult(file, r.format(), r.changes(), true, AtomicFileWriter.replace(file, bytes));
    }
    try {
      AtomicFile.write(file, bytes);
    } catch (IOException | RuntimeException e) {
      throw new RewriteException(file, "could not write the cephadm settings: " + e
          + "; check that the directory exists and is writable", e);
    }
    return new RewriteResult(file, r.format(), r.changes(), true, null);
  }
}
