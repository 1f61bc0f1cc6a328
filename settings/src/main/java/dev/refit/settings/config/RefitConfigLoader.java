package dev.refit.settings.config;

import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlNode;
import dev.refit.settings.yaml.YamlTree;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads refit.yaml into a {@link RefitConfig}; every key is optional and falls back to the
 * value of {@link RefitConfig#defaults()}. Blocking; stateless and thread-safe.
 */
public final class RefitConfigLoader {

  /** Every top-level key, for unknown-key detection and suggestions. */
  public static final Set<String> KEYS = Set.of("upstream", "local_registry", "images", "tag",
      "cache_dir", "concurrency", "builder", "patch_policy", "fuzz", "drop_paths", "overrides",
      "max_patch_size", "dockerfile_style", "gerrit_url", "job_timeout", "artifacts");

  private static final Set<String> TAG_KEYS = Set.of("name", "suffix");
  private static final Pattern SIZE =
      Pattern.compile("([0-9]+)\\s*(b|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);
  private static final long MAX_PATCH_LIMIT = 4L * 1024 * 1024 * 1024;
  private static final int MAX_FUZZ = 3;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})\\s*(s|m|h)", Pattern.CASE_INSENSITIVE);

  private RefitConfigLoader() {}

  public static RefitConfig load(Path file) {
    Path baseDir = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of(""));
    MapReader root = MapReader.of(YamlTree.parse(file), "");
    root.allowOnly(KEYS);
    RefitConfig d = RefitConfig.defaults();

    PatchPolicy policy = root.choice("patch_policy", Set.of("strict", "lenient"))
        .map(v -> PatchPolicy.valueOf(v.toUpperCase(Locale.ROOT))).orElse(d.patchPolicy());
    int fuzz = root.integer("fuzz", 0, MAX_FUZZ).map(Long::intValue).orElse(d.fuzz());
    if (fuzz > 0 && policy == PatchPolicy.STRICT) {
      throw root.error("fuzz", "'fuzz: " + fuzz + "' needs 'patch_policy: lenient'",
          "strict patching never fuzzes; set patch_policy: lenient or fuzz: 0");
    }
    return new RefitConfig(
        file,
        UpstreamReader.read(root),
        LocalRegistryReader.read(root, baseDir),
        ImagesReader.readImages(root),
        tag(root),
        root.string("cache_dir").map(v -> directory(v, baseDir)).orElse(d.cacheDir()),
        root.integer("concurrency", 1, 64).map(Long::intValue).orElse(d.concurrency()),
        root.choice("builder", Set.of("daemonless", "jib", "docker"))
            .map(v -> Builder.valueOf(v.toUpperCase(Locale.ROOT))).orElse(d.builder()),
        policy,
        fuzz,
        dropPaths(root).orElse(d.dropPaths()),
        ImagesReader.readOverrides(root),
        size(root, "max_patch_size").orElse(d.maxPatchBytes()),
        root.choice("dockerfile_style", Set.of("copy", "apex"))
            .map(v -> DockerfileStyle.valueOf(v.toUpperCase(Locale.ROOT)))
            .orElse(d.dockerfileStyle()),
        root.string("gerrit_url").map(v -> gerritUrl(root, v)).orElse(d.gerritUrl()),
        duration(root, "job_timeout").orElse(d.jobTimeout()),
        ArtifactsReader.read(root).orElse(d.artifacts()));
  }

  /** Loads {@code file} if given, else returns the defaults. */
  public static RefitConfig loadOrDefaults(Optional<Path> file) {
    return file.map(RefitConfigLoader::load).orElseGet(RefitConfig::defaults);
  }

  private static TagConfig tag(MapReader root) {
    Optional<YamlNode> node = root.node("tag");
    if (node.isEmpty()) {
      return TagConfig.defaults();
    }
    String name;
    TagSuffix suffix = TagSuffix.NONE;
    if (node.get() instanceof YamlMap) {
      MapReader t = root.mapping("tag").orElseThrow();
      t.allowOnly(TAG_KEYS);
      name = t.string("name", TagConfig.DEFAULT_NAME);
      suffix = t.choice("suffix", Set.of("none", "timestamp", "content"))
          .map(v -> TagSuffix.valueOf(v.toUpperCase(Locale.ROOT))).orElse(TagSuffix.NONE);
    } else {
      name = MapReader.text(node.get(), "tag");
    }
    // Leave room for the longest suffix ("-YYYYMMDDTHHMMSSZ", 17 characters) within 128.
    int max = suffix == TagSuffix.NONE ? 128 : 111;
    if (!ReferenceSyntax.TAG_PATTERN.matcher(name).matches() || name.length() > max) {
      throw new SettingsException(node.get().location(), "tag '" + name + "' is not valid",
          "a tag is letters, digits, '_', '.', '-', not starting with '.' or '-', at most "
              + max + " characters");
    }
    return new TagConfig(name, suffix);
  }

  private static Path directory(String value, Path baseDir) {
    if (value.equals("~") || value.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(value.substring(1).replaceFirst(
          "^/", ""));
    }
    return baseDir.resolve(value).normalize();
  }

  private static Optional<List<String>> dropPaths(MapReader root) {
    Optional<List<String>> paths = root.stringList("drop_paths");
    paths.ifPresent(list -> {
      for (String p : list) {
        if (p.isBlank()) {
          throw root.error("drop_paths", "'drop_paths' contains an empty entry",
              "remove it; an empty entry would drop every file");
        }
      }
    });
    return paths;
  }

  /** A duration such as {@code 90s}, {@code 30m} or {@code 2h}, from one second to a week. */
  private static Optional<Duration> duration(MapReader root, String key) {
    return root.node(key).map(n -> {
      String text = MapReader.text(n, key).strip();
      Matcher m = DURATION.matcher(text);
      Duration value = null;
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        value = switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "h" -> Duration.ofHours(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        };
      }
      if (value == null || value.isZero() || value.compareTo(Duration.ofDays(7)) > 0) {
        throw root.error(key, "'" + key + "' is not a duration between 1s and 168h: '" + text + "'",
            "write a number with s, m or h, e.g. 45m");
      }
      return value;
    });
  }

  private static Optional<Long> size(MapReader root, String key) {
    return root.node(key).map(n -> {
      String text = MapReader.text(n, key).strip();
      Matcher m = SIZE.matcher(text);
      long value = -1;
      if (m.matches()) {
        try {
          long base = Long.parseLong(m.group(1));
          String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
          int shift = switch (unit) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            default -> 0;
          };
          value = base > (MAX_PATCH_LIMIT >> shift) ? Long.MAX_VALUE : base << shift;
        } catch (NumberFormatException e) {
          value = Long.MAX_VALUE;
        }
      }
      if (value < 1 || value > MAX_PATCH_LIMIT) {
        throw root.error(key, "'" + key + "' is not a size between 1 byte and 4 GiB: '"
            + text + "'", "write bytes, or a number with KiB, MiB or GiB, e.g. 64MiB");
      }
      return value;
    });
  }

  private static URI gerritUrl(MapReader root, String value) {
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null && uri.getQuery() == null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below with the same hint
    }
    throw root.error("gerrit_url", "'gerrit_url' must be an http(s) URL, found '" + value + "'",
        "e.g. https://review.opendev.org");
  }
}
