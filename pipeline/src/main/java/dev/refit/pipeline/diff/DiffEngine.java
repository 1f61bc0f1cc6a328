package dev.refit.pipeline.diff;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.image.LayerCache;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares the final filesystems, configs and Debian package databases of two images. Contents
 * stream through SHA-256; only a text file of at most {@link TextDiff#MAX_TEXT} bytes is held
 * whole, while its unified diff is made. Blocking (run it on the {@code refit-diff} pool);
 * stateless.
 */
public final class DiffEngine {
  static final String DPKG_STATUS = "var/lib/dpkg/status";

  private DiffEngine() {}

  public static ImageDiff diff(DiffImage a, DiffImage b, LayerCache cache, DiffOptions options) {
    List<PathMatcher> only = matchers(options.globs());
    ChangedPaths.Result found = new ChangedPaths(a, b, cache,
        p -> p.equals(DPKG_STATUS) || matches(only, p)).resolve();
    List<PathDiff> paths = new ArrayList<>();
    boolean dpkgChanged = false;
    for (String p : found.paths()) {
      PathDiff d = compare(p, found.a(), found.b());
      if (d == null) {
        continue;
      }
      dpkgChanged |= p.equals(DPKG_STATUS);
      if (matches(only, p)) {
        paths.add(d);
      }
    }
    List<PackageDiff> packages = dpkgChanged
        ? DpkgStatus.compare(read(found.a(), DPKG_STATUS), read(found.b(), DPKG_STATUS))
        : List.of();
    Set<Digest> digestsA = new HashSet<>(a.layers().stream().map(Descriptor::digest).toList());
    int shared = (int) b.layers().stream().map(Descriptor::digest).distinct()
        .filter(digestsA::contains).count();
    return new ImageDiff(side(a), side(b), paths, ConfigDiffs.compare(a.config(), b.config()),
        packages, new ImageDiff.Stats(shared, found.layersRead()));
  }

  private static ImageDiff.Side side(DiffImage image) {
    return new ImageDiff.Side(image.reference(), image.digest(), image.platform(),
        image.layers().size());
  }

  /** The difference at {@code path}, or null when both sides hold the same. */
  private static PathDiff compare(String path, ChangedPaths.Side sideA, ChangedPaths.Side sideB) {
    FileEntry fa = sideA.visible().get(path);
    FileEntry fb = sideB.visible().get(path);
    if (fa == null && fb == null) {
      return null;
    }
    Content ca = content(sideA, fa);
    Content cb = content(sideB, fb);
    Entry ea = entry(fa, ca);
    Entry eb = entry(fb, cb);
    String shown = "/" + path;
    if (ea == null || eb == null) {
      Change change = ea == null ? Change.ADDED : Change.REMOVED;
      return new PathDiff(shown, change, ea, eb, List.of(), TextDiff.unified(path, ca.text, cb.text));
    }
    List<String> differs = differs(ea, eb);
    if (differs.isEmpty()) {
      return null;
    }
    // Text on both sides only: a null side would read as a missing file.
    String unified = differs.contains("content") && ca.text != null && cb.text != null
        ? TextDiff.unified(path, ca.text, cb.text) : null;
    return new PathDiff(shown, Change.CHANGED, ea, eb, differs, unified);
  }

  static List<String> differs(Entry a, Entry b) {
    List<String> out = new ArrayList<>();
    if (!a.type().equals(b.type())) {
      out.add("type");
    }
    if (a.mode() != b.mode()) {
      out.add("mode");
    }
    if (a.uid() != b.uid()) {
      out.add("uid");
    }
    if (a.gid() != b.gid()) {
      out.add("gid");
    }
    if (a.size() != b.size()) {
      out.add("size");
    }
    if (!java.util.Objects.equals(a.linkTarget(), b.linkTarget())) {
      out.add("linkTarget");
    }
    if (a.sha256() != null && b.sha256() != null && !a.sha256().equals(b.sha256())) {
      out.add("content");
    }
    return out;
  }

  /** A file's digest, and its text when it is a small text file. */
  private record Content(String sha256, String text) {
    static final Content NONE = new Content(null, null);
  }

  private static Content content(ChangedPaths.Side side, FileEntry e) {
    if (e == null || e.type() != EntryType.FILE) {
      return Content.NONE;
    }
    MessageDigest sha = sha256();
    try (InputStream in = side.files().open(e.path())) {
      if (e.size() <= TextDiff.MAX_TEXT) {
        byte[] bytes = in.readNBytes((int) TextDiff.MAX_TEXT + 1);
        sha.update(bytes);
        return new Content(hex(sha), TextDiff.text(bytes));
      }
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return new Content(hex(sha), null);
    } catch (IOException ex) {
      throw new RefitException("cannot read /" + e.path() + " of " + side.files().imageName()
          + ": " + ex.getMessage(), "check that the image's layers are complete", ExitCode.FAILED, ex);
    }
  }

  private static Entry entry(FileEntry e, Content c) {
    if (e == null) {
      return null;
    }
    return new Entry(EntryKinds.name(e.type()), e.mode(), Integer.toUnsignedLong(e.uid()),
        Integer.toUnsignedLong(e.gid()), e.size(), e.linkTarget(), c.sha256);
  }

  private static InputStream read(ChangedPaths.Side side, String path) {
    FileEntry e = side.visible().get(path);
    if (e == null || e.type() != EntryType.FILE) {
      return InputStream.nullInputStream();
    }
    try {
      return side.files().open(path);
    } catch (IOException ex) {
      throw new RefitException("cannot read /" + path + " of " + side.files().imageName() + ": "
          + ex.getMessage(), "check that the image's layers are complete", ExitCode.FAILED, ex);
    }
  }

  /** The {@code --paths} globs, checked: a bad one fails as a usage error. */
  public static List<PathMatcher> matchers(List<String> globs) {
    List<PathMatcher> out = new ArrayList<>();
    for (String g : globs) {
      String rel = g.replaceFirst("^/+", "");
      try {
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + rel));
      } catch (IllegalArgumentException e) {
        throw new RefitException("invalid --paths glob '" + g + "': " + e.getMessage(),
            "use * and ? within a name, ** across directories, e.g. /etc/**", ExitCode.USAGE, e);
      }
    }
    return out;
  }

  static boolean matches(List<PathMatcher> only, String path) {
    if (only.isEmpty()) {
      return true;
    }
    try {
      Path p = Path.of(path);
      return only.stream().anyMatch(m -> m.matches(p));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  private static MessageDigest sha256() {
    return Digest.Algorithm.SHA256.newHasher();
  }

  private static String hex(MessageDigest sha) {
    return Digest.of(Digest.Algorithm.SHA256, sha.digest()).toString();
  }
}
