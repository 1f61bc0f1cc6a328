package dev.refit.patches.mapping;

import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.image.PathRequest;
import dev.refit.settings.config.ProjectOverride;
import dev.refit.settings.config.RefitConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where a project's root lives inside an image, from the image's own filesystem: the
 * override table first, then puppet modules, the heat templates, and for everything else the
 * Python {@code site-packages}/{@code dist-packages} directory that holds the project's top-level
 * package (any Python version, any prefix). Immutable and thread-safe.
 */
public final class PathDetector {
  /** Library prefixes searched for {@code python*} directories. */
  static final List<String> LIB_DIRS =
      List.of("usr/lib", "usr/lib64", "usr/local/lib", "usr/local/lib64");
  static final List<String> PACKAGE_DIRS = List.of("site-packages", "dist-packages");
  static final String THT = "tripleo-heat-templates";
  static final String THT_PATH = "usr/share/openstack-tripleo-heat-templates";
  static final String PUPPET_MODULES = "etc/puppet/modules";
  private static final Pattern PY_VERSION = Pattern.compile("python(\\d+)(?:\\.(\\d+))?");

  private final RefitConfig config;

  public PathDetector(RefitConfig config) {
    this.config = config;
  }

  /**
   * The top-level Python package of a project: without namespace and {@code python-}, with '-'
   * and '.' as '_' ({@code python-novaclient} → {@code novaclient}, {@code tripleo-common} →
   * {@code tripleo_common}).
   */
  public static String pythonPackage(String project) {
    String p = ProjectImageMapper.shortProject(project).toLowerCase(Locale.ROOT);
    if (p.startsWith("python-")) {
      p = p.substring("python-".length());
    }
    return p.replace('-', '_').replace('.', '_');
  }

  /** What {@link #detect} reads from an image, so a streamed view can resolve it in one pass. */
  public PathRequest requestFor(String project) {
    if (override(project).isPresent()) {
      return PathRequest.of(List.of(override(project).get()));
    }
    String p = ProjectImageMapper.shortProject(project);
    if (p.equals(THT)) {
      return PathRequest.of(List.of(THT_PATH));
    }
    if (p.startsWith("puppet-")) {
      return PathRequest.of(List.of(puppetPath(p)));
    }
    String pkg = pythonPackage(project);
    List<String> globs = new ArrayList<>();
    for (String lib : LIB_DIRS) {
      for (String dir : PACKAGE_DIRS) {
        globs.add(lib + "/python*/" + dir + "/" + pkg);
        globs.add(lib + "/python*/" + dir + "/" + pkg + ".py");
        globs.add(lib + "/python*/" + dir);
      }
    }
    return PathRequest.empty().withListDirs(LIB_DIRS).withGlobs(globs);
  }

  /** Where {@code project}'s root lives in {@code image}, or empty when it is not there. */
  public Optional<DetectedPath> detect(String project, FileSource image) {
    Optional<String> override = override(project);
    if (override.isPresent()) {
      return Optional.of(new DetectedPath(override.get(), "path from the override table"));
    }
    String p = ProjectImageMapper.shortProject(project);
    if (p.equals(THT)) {
      return present(image, THT_PATH, "heat templates directory");
    }
    if (p.startsWith("puppet-")) {
      return present(image, puppetPath(p), "puppet module " + p.substring(7));
    }
    return detectPython(pythonPackage(project), image);
  }

  private Optional<DetectedPath> detectPython(String pkg, FileSource image) {
    List<String> found = new ArrayList<>();
    for (String lib : LIB_DIRS) {
      List<FileEntry> pythons = image.list(lib).stream()
          .filter(e -> e.isDirectory() && PY_VERSION.matcher(e.name()).matches())
          .sorted(Comparator.comparing(PathDetector::versionKey).reversed())
          .toList();
      for (FileEntry py : pythons) {
        for (String dir : PACKAGE_DIRS) {
          String base = py.path() + "/" + dir;
          boolean hasPackage = image.entry(base + "/" + pkg).filter(FileEntry::isDirectory).isPresent()
              || image.entry(base + "/" + pkg + ".py").filter(FileEntry::isFile).isPresent();
          if (hasPackage) {
            found.add(base);
          }
        }
      }
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String reason = "python package " + pkg + " found in /" + found.get(0)
        + (found.size() > 1 ? " (newest Python of " + found.stream().map(f -> "/" + f).toList() + ")" : "");
    return Optional.of(new DetectedPath(found.get(0), reason));
  }

  private static Optional<DetectedPath> present(FileSource image, String path, String what) {
    return image.entry(path).filter(FileEntry::isDirectory)
        .map(e -> new DetectedPath(path, what + " at /" + path));
  }

  private static String puppetPath(String shortProject) {
    return PUPPET_MODULES + "/" + shortProject.substring("puppet-".length());
  }

  private Optional<String> override(String project) {
    return config.overrideFor(project).map(ProjectOverride::path).filter(s -> s != null && !s.isBlank())
        .map(PathSafety::normaliseDir);
  }

  /** Orders python3.10 above python3.6 above python2.7 above python3 (bare) by number. */
  private static int versionKey(FileEntry e) {
    Matcher m = PY_VERSION.matcher(e.name());
    if (!m.matches()) {
      return -1;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return major * 1000 + minor;
  }
}
