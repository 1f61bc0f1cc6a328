package dev.refit.pipeline.demo;

import dev.refit.registry.io.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's sample settings: the repository's {@code examples/demo}, packaged into the jar under
 * {@link #RESOURCE_DIR} and copied out byte for byte before each run, so the demo works from any
 * working directory and never changes the repository's files. Blocking.
 */
public final class Examples {
  /** Where pipeline/pom.xml puts {@code examples/} on the classpath. */
  public static final String RESOURCE_DIR = "refit-examples/demo";
  public static final String DEPLOY_SETTINGS = "deploy_settings.yaml";
  public static final String REFIT_YAML = "refit.yaml";
  public static final String ENV_FILE = "overcloud-images.yaml";
  /** The addresses refit.yaml names, replaced in the copy when the run uses others. */
  public static final String UPSTREAM_ADDRESS = "127.0.0.1:8788";
  public static final String LOCAL_ADDRESS = "127.0.0.1:8787";

  private Examples() {}

  /**
   * Copies the sample settings into {@code dir}, replacing what an earlier run copied (its
   * directories are removed first, so a file dropped from the examples is gone here too). Files
   * get mode 0644, so an install/ tree's modes do not depend on the umask.
   */
  public static void copyTo(Path dir) throws IOException {
    URL marker = Examples.class.getClassLoader().getResource(RESOURCE_DIR + "/" + DEPLOY_SETTINGS);
    if (marker == null) {
      throw new IOException("the demo's sample settings (" + RESOURCE_DIR + ") are not on the"
          + " classpath; rebuild the jar with bin/refit or mvn -DskipTests package");
    }
    URI uri;
    try {
      uri = marker.toURI();
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the demo's sample settings at " + marker, e);
    }
    if (!"jar".equals(uri.getScheme())) {
      copyTree(Path.of(uri).getParent(), dir);
      return;
    }
    URI jar = URI.create(uri.toString().substring(0, uri.toString().indexOf("!/")));
    try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of())) {
      copyTree(fs.getPath("/" + RESOURCE_DIR), dir);
    } catch (FileSystemAlreadyExistsException open) {
      copyTree(FileSystems.getFileSystem(jar).getPath("/" + RESOURCE_DIR), dir);
    }
  }

  /**
   * Points the copied refit.yaml at the addresses this run uses, when they differ from the
   * examples' defaults, so the copy describes what actually ran.
   */
  public static void pointAt(Path refitYaml, String upstream, String local) throws IOException {
    String text = Files.readString(refitYaml, StandardCharsets.UTF_8);
    String changed = replace(text, "registry: " + UPSTREAM_ADDRESS, "registry: " + upstream, refitYaml);
    changed = replace(changed, "address: " + LOCAL_ADDRESS, "address: " + local, refitYaml);
    if (!changed.equals(text)) {
      Files.writeString(refitYaml, changed, StandardCharsets.UTF_8);
    }
  }

  private static String replace(String text, String marker, String with, Path file)
      throws IOException {
    if (!text.contains(marker)) {
      throw new IOException(file + " no longer holds '" + marker + "'; the demo needs it there");
    }
    return text.replace(marker, with);
  }

  private static void copyTree(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> top = Files.list(source)) {
      for (Path p : top.filter(Files::isDirectory).toList()) {
        FileTrees.delete(target.resolve(p.getFileName().toString()));
      }
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(source)) {
      all = walk.sorted().toList();
    }
    for (Path p : all) {
      Path to = target.resolve(source.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(to);
      } else {
        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view != null) {
          view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }
}
