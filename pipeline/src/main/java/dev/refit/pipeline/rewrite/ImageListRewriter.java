package dev.refit.pipeline.rewrite;

import dev.refit.error.Causes;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites one image list a deployer consumes so that it points at the local registry: detects
 * the format by content, plans edits that replace only the image values (see docs/image-lists.md),
 * checks the result still parses as the same format, then writes it atomically keeping
 * {@code <file>.bak}. Nothing is written when nothing changes. Blocking; thread-safe (stateless).
 */
public final class ImageListRewriter {

  private ImageListRewriter() {
  }

  /** Rewrites {@code file} in place. @throws RewriteException with the original untouched */
  public static RewriteResult rewrite(Path file, ImageMapping mapping) {
    return run(file, mapping, true);
  }

  /**
   * Rewrites several files (the {@code --env-file} list): every file is read, parsed and rewritten
   * in memory first, so one bad file fails the call before any file is written. A write failure
   * part-way leaves the files already written with their {@code .bak}.
   */
  public static List<RewriteResult> rewriteAll(List<Path> files, ImageMapping mapping) {
    List<String> originals = new ArrayList<>();
    List<Rewritten> rewritten = new ArrayList<>();
    for (Path file : files) {
      String text = read(file);
      originals.add(text);
      rewritten.add(rewriteText(file, text, mapping));
    }
    List<RewriteResult> results = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      results.add(write(files.get(i), originals.get(i), rewritten.get(i)));
    }
    return results;
  }

  /** What {@link #rewrite} would change, without writing anything. */
  public static RewriteResult preview(Path file, ImageMapping mapping) {
    return run(file, mapping, false);
  }

  /** The format of {@code file}. @throws RewriteException for unreadable or unknown files */
  public static Format detect(Path file) {
    return FormatDetector.detect(file, read(file));
  }

  /** The rewritten text of {@code text} as {@code file}, with the changes; for callers holding the text. */
  static Rewritten rewriteText(Path file, String text, ImageMapping mapping) {
    Format format = FormatDetector.detect(file, text);
    Plan plan = plan(file, text, format, mapping);
    String out = Edit.apply(text, plan.edits());
    if (!plan.edits().isEmpty()) {
      verify(file, out, format);
    }
    return new Rewritten(format, out, plan.changes());
  }

  record Rewritten(Format format, String text, List<Change> changes) {
  }

  private static RewriteResult run(Path file, ImageMapping mapping, boolean write) {
    String text = read(file);
    Rewritten r = rewriteText(file, text, mapping);
    if (!write) {
      return new RewriteResult(file, r.format(), r.changes(), false, null);
    }
    return write(file, text, r);
  }

  private static RewriteResult write(Path file, String text, Rewritten r) {
    if (r.text().equals(text)) {
      return new RewriteResult(file, r.format(), r.changes(), false, null);
    }
    Path backup = AtomicFileWriter.replace(file, r.text().getBytes(StandardCharsets.UTF_8));
    return new RewriteResult(file, r.format(), r.changes(), true, backup);
  }

  private static Plan plan(Path file, String text, Format format, ImageMapping mapping) {
    return switch (format) {
      case CEPHADM_CONF -> CephadmConfRewriter.plan(file, text, mapping);
      case CEPHADM_COMMANDS -> CephadmCommandsRewriter.plan(file, FormatDetector.commands(text), mapping);
      case OVERCLOUD_CONTAINERS -> OvercloudContainersRewriter.plan(YamlSource.parse(file, text), mapping);
      case TRIPLEO_ENV -> EnvFileRewriter.plan(YamlSource.parse(file, text), mapping);
      case CONTAINER_IMAGE_PREPARE -> {
        // a prepare file may also pin single images with Container*Image parameters
        YamlSource src = YamlSource.parse(file, text);
        Plan prepare = PrepareRewriter.plan(src, mapping);
        Plan env = EnvFileRewriter.plan(src, mapping);
        Plan both = new Plan();
        List<Edit> edits = new ArrayList<>(env.edits());
        edits.addAll(prepare.edits());
        both.edits().addAll(edits);
        both.changes().addAll(prepare.changes());
        both.changes().addAll(env.changes());
        yield both;
      }
    };
  }

  /** A safety net: the new text must parse and still be the same format, or nothing is written. */
  private static void verify(Path file, String out, Format format) {
    Format again;
    try {
      again = FormatDetector.detect(file, out);
    } catch (RewriteException e) {
      throw new RewriteException(file, "refit produced an invalid rewrite (" + Causes.describe(e)
          + "); please report this with the file", e);
    }
    if (again != format) {
      throw new RewriteException(file, "refit's rewrite changed the format from " + format + " to "
          + again + "; please report this with the file", null);
    }
  }

  private static String read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new RewriteException(file, "cannot read: not UTF-8 text; " + FormatDetector.EXPECTED, e);
    } catch (IOException e) {
      throw new RewriteException(file, "cannot read: " + e + "; check the path and its permissions", e);
    }
  }
}
