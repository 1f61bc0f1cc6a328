package dev.refit.patches.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry.ChangeType;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.patch.CombinedFileHeader;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.patch.HunkHeader;

/**
 * A patch read into refit's model: the file sections of a unified diff or of a
 * {@code git format-patch} mailbox (several commits, in order), parsed by JGit's patch parser,
 * with -p stripping and the drop rule applied. Immutable and thread-safe once built.
 */
public final class ParsedPatch {

  private final String sourceName;
  private final List<FileChange> files;

  private ParsedPatch(String sourceName, List<FileChange> files) {
    this.sourceName = sourceName;
    this.files = List.copyOf(files);
  }

  /**
   * Reads and parses a patch. The stream is counted while read and refused as soon as it passes
   * {@link PatchOptions#maxPatchBytes()}.
   *
   * @throws PatchTooLargeException when the patch is larger than the limit
   * @throws EmptyPatchException when it holds no file section
   * @throws BinaryPatchException when a kept file section is binary
   * @throws PatchException when it cannot be parsed or a path cannot be stripped
   */
  public static ParsedPatch parse(InputStream in, String sourceName, PatchOptions options) {
    byte[] raw = readBounded(in, sourceName, options.maxPatchBytes());
    byte[] text = crlfToLf(raw);
    List<FileHeader> sections = JgitSections.parse(text, sourceName);
    if (sections.isEmpty()) {
      throw new EmptyPatchException(sourceName);
    }
    List<FileChange> out = new ArrayList<>();
    for (FileHeader fh : sections) {
      FileChange change = convert(fh, sourceName, options.stripLevel());
      boolean dropped = (change.oldPath() == null || options.drops(change.oldPath()))
          && (change.newPath() == null || options.drops(change.newPath()));
      if (dropped) {
        continue;
      }
      if (fh.getPatchType() != FileHeader.PatchType.UNIFIED) {
        throw new BinaryPatchException(sourceName, change.displayPath());
      }
      out.add(change);
    }
    return new ParsedPatch(sourceName, out);
  }

  /** Reads and parses a patch file; see {@link #parse(InputStream, String, PatchOptions)}. */
  public static ParsedPatch parse(Path file, PatchOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new PatchException("patch file " + file + " does not exist or is not a file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.getFileName().toString(), options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read patch " + file, e);
    }
  }

  /** Where the patch came from, for messages. */
  public String sourceName() {
    return sourceName;
  }

  /** The kept file sections in patch order (one file may appear several times in a series). */
  public List<FileChange> files() {
    return files;
  }

  private static byte[] readBounded(InputStream in, String sourceName, long limit) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > limit) {
          throw new PatchTooLargeException(sourceName, limit);
        }
        buf.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read patch " + sourceName, e);
    }
    return buf.toByteArray();
  }

  /**
   * A patch saved with CRLF line ends throughout (headers included) is turned back into LF, so
   * the parser sees git's format. A patch whose content lines alone end in CR (a diff of CRLF
   * files) is left alone: the CRs are file content.
   */
  static byte[] crlfToLf(byte[] raw) {
    int lf = 0;
    int crlf = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n') {
        lf++;
        if (i > 0 && raw[i - 1] == '\r') {
          crlf++;
        }
      }
    }
    if (lf == 0 || crlf != lf) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
        continue;
      }
      out.write(raw[i]);
    }
    return out.toByteArray();
  }

  private static FileChange convert(FileHeader fh, String source, int strip) {
    if (fh instanceof CombinedFileHeader) {
      throw new PatchException("patch " + source + " contains a combined (merge) diff for "
          + fh.getNewPath() + "; export the change with git format-patch or git diff instead");
    }
    FileChange.Kind kind = kind(fh.getChangeType());
    String oldPath = kind == FileChange.Kind.ADD ? null : fh.getOldPath();
    String newPath = kind == FileChange.Kind.DELETE ? null : fh.getNewPath();
    if (strip == 0) {
      RawNames raw = RawNames.of(fh);
      oldPath = oldPath == null ? null : raw.oldName(oldPath);
      newPath = newPath == null ? null : raw.newName(newPath);
    } else {
      // JGit already dropped one leading component (git's a/ and b/).
      oldPath = oldPath == null ? null : stripComponents(oldPath, strip - 1, source);
      newPath = newPath == null ? null : stripComponents(newPath, strip - 1, source);
    }
    List<Hunk> hunks = new ArrayList<>();
    int index = 1;
    for (HunkHeader h : fh.getHunks()) {
      hunks.add(toHunk(h, index++));
    }
    return new FileChange(kind, oldPath, newPath, bits(fh.getOldMode()), bits(fh.getNewMode()),
        hunks);
  }

  private static FileChange.Kind kind(ChangeType type) {
    return switch (type) {
      case ADD -> FileChange.Kind.ADD;
      case DELETE -> FileChange.Kind.DELETE;
      case RENAME -> FileChange.Kind.RENAME;
      case COPY -> FileChange.Kind.COPY;
      default -> FileChange.Kind.MODIFY;
    };
  }

  private static Integer bits(FileMode mode) {
    return mode == null || mode == FileMode.MISSING ? null : mode.getBits();
  }

  static String stripComponents(String path, int n, String source) {
    String p = path;
    for (int i = 0; i < n; i++) {
      int slash = p.indexOf('/');
      if (slash < 0) {
        throw new PatchException("patch " + source + ": cannot strip " + (n + 1)
            + " leading components from path " + path + "; use a lower -p level");
      }
      p = p.substring(slash + 1);
    }
    return p;
  }

  /** Slices the hunk's bytes out of the parser's buffer and splits them into body lines. */
  private static Hunk toHunk(HunkHeader h, int index) {
    String body = new String(h.getBuffer(), h.getStartOffset(),
        h.getEndOffset() - h.getStartOffset(), StandardCharsets.ISO_8859_1);
    String[] rows = body.split("\n", -1);
    String header = rows[0].strip();
    List<Hunk.Line> lines = new ArrayList<>();
    boolean oldNoEol = false;
    boolean newNoEol = false;
    char last = ' ';
    int oldLeft = h.getOldImage().getLineCount();
    int newLeft = h.getNewLineCount();
    for (int i = 1; i < rows.length; i++) {
      if (oldLeft <= 0 && newLeft <= 0 && !rows[i].startsWith("\\")) {
        break; // the header's counts are satisfied; anything further is not this hunk's
      }
      String row = rows[i];
      if (row.isEmpty()) {
        if (i == rows.length - 1) {
          break;
        }
        row = " "; // some mailers strip the space of an empty context line
      }
      char op = row.charAt(0);
      if (op == '\\') {
        oldNoEol |= last != '+';
        newNoEol |= last != '-';
        continue;
      }
      if (op != ' ' && op != '-' && op != '+') {
        break;
      }
      lines.add(new Hunk.Line(op, row.substring(1)));
      oldLeft -= op == '+' ? 0 : 1;
      newLeft -= op == '-' ? 0 : 1;
      last = op;
    }
    return new Hunk(index, header, h.getOldImage().getStartLine(),
        h.getOldImage().getLineCount(), lines, oldNoEol, newNoEol);
  }
}
