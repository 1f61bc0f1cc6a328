package dev.refit.pipeline.rebuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a rebuilt image came from, as config labels and manifest annotations. Immutable and
 * thread-safe.
 *
 * <p>Keys follow the OCI image-spec annotations.md pre-defined keys for the base
 * ({@code org.opencontainers.image.base.name}, {@code .base.digest}) and refit's own reverse-DNS
 * namespace for the rest.
 *
 * @param baseName the base image reference (repository:tag or repository@digest)
 * @param baseDigest the base manifest digest
 * @param patches patches applied, in order
 * @param builder builder name
 * @param version refit version
 * @param buildKey the {@link BuildKey}
 */
public record Provenance(
    String baseName,
    Digest baseDigest,
    List<AppliedPatch> patches,
    String builder,
    String version,
    String buildKey) {

  public static final String BASE_NAME = "org.opencontainers.image.base.name";
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
  public static final String PATCHES = "dev.refit.patches";
  public static final String BUILDER = "dev.refit.builder";
  public static final String VERSION = "dev.refit.version";
  public static final String BUILD_KEY = "dev.refit.build-key";

  private static final Pattern REVISION = Pattern.compile("\\brevision\\s+(\\S+)");

  public Provenance {
    Objects.requireNonNull(baseName, "baseName");
    Objects.requireNonNull(baseDigest, "baseDigest");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(buildKey, "buildKey");
    patches = patches == null ? List.of() : List.copyOf(patches);
  }

  /** Provenance of a request built by {@code builder} with refit {@code version}. */
  public static Provenance of(RebuildRequest request, String builder, String version) {
    return new Provenance(
        baseName(request),
        request.base().digest(),
        request.patches(),
        builder,
        version,
        BuildKey.of(request, builder));
  }

  /**
   * {@code repository[:tag]} without the registry host: the local registry's host and port differ
   * between runs and machines, and putting them in the label would break the reproducible digest
   * (issue 4, section 3). The digest label pins the exact base anyway.
   */
  public static String baseName(RebuildRequest request) {
    String repo = request.base().repository();
    return request.base().tag() == null ? repo : repo + ":" + request.base().tag();
  }

  /** The labels/annotations, in a fixed order. */
  public Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BASE_NAME, baseName);
    m.put(BASE_DIGEST, baseDigest.toString());
    m.put(PATCHES, patchesJson(patches));
    m.put(BUILDER, builder);
    m.put(VERSION, version);
    m.put(BUILD_KEY, buildKey);
    return m;
  }

  /**
   * The {@code dev.refit.patches} value: a JSON list of {@code {id, source, revision, sha256}};
   * the revision is taken from a {@code revision X} phrase in the source, else null.
   */
  public static String patchesJson(List<AppliedPatch> patches) {
    ArrayNode list = Json.mapper().createArrayNode();
    for (AppliedPatch p : patches) {
      ObjectNode o = list.addObject();
      o.put("id", p.id());
      o.put("source", p.source());
      Matcher m = REVISION.matcher(p.source());
      if (m.find()) {
        o.put("revision", m.group(1));
      } else {
        o.putNull("revision");
      }
      o.put("sha256", p.sha256().toString());
    }
    return new String(Json.write(list), StandardCharsets.UTF_8);
  }
}
