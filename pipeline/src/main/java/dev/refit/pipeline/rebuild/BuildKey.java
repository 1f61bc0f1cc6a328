package dev.refit.pipeline.rebuild;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes the build key: a sha256 over everything that decides a rebuilt image, so a re-run can
 * tell that {@code :apex} already is what it would build. Thread-safe (stateless).
 *
 * <p>The hashed text is a canonical line format (one fact per line, fields separated by NUL,
 * files and deletions in path order, options in key order), so the key does not depend on map
 * iteration order, on the machine, or on work-file locations: only content digests, modes and
 * ownership go in, never the temporary path of a changed file.
 */
public final class BuildKey {

  /** Version of the canonical format; bump it when the hashed facts change. */
  static final String FORMAT = "refit-build-key/1";

  private BuildKey() {}

  /** The build key, {@code sha256:<hex>}, of one rebuild. */
  public static String of(
      Digest base,
      List<AppliedPatch> patches,
      PatchResult result,
      String builder,
      Map<String, String> options) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    line(text, "base", base.toString());
    line(text, "builder", builder);
    for (AppliedPatch p : patches) {
      line(text, "patch", p.id(), p.sha256().toString());
    }
    for (ChangedFile f : result.changed()) {
      line(
          text,
          "file",
          f.path(),
          f.sha256().toString(),
          Integer.toOctalString(f.mode()),
          Integer.toString(f.uid()),
          Integer.toString(f.gid()));
    }
    for (String d : result.deleted()) {
      line(text, "delete", d);
    }
    for (Map.Entry<String, String> o : new TreeMap<>(options).entrySet()) {
      line(text, "option", o.getKey(), o.getValue());
    }
    return Digest.sha256(text.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The build key of a request built by {@code builder}. */
  public static String of(RebuildRequest request, String builder) {
    return of(request.base().digest(), request.patches(), request.result(), builder, request.options());
  }

  private static void line(StringBuilder text, String kind, String... fields) {
    text.append(kind);
    for (String f : fields) {
      // NUL cannot occur in paths or digests, so it separates fields unambiguously.
      text.append('\0').append(f == null ? "" : f);
    }
    text.append('\n');
  }
}
