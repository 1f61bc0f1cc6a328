package dev.refit.patches.image;

import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * An image in a registry as the planner needs it: its layers, its config and its build time, with
 * a {@link LayerReader} that finds each layer's blob as a file: in place in the registry's store
 * when this process serves it, else pulled (digest-verified) into a temp file.
 * Blocking (reads through {@link BlockingRegistry}); must not run on an event loop. Immutable.
 */
public final class RegistryImage {
  /** The label kolla/TripleO images carry (label-schema), used when {@code created} is unusable. */
  public static final String BUILD_DATE_LABEL = "build-date";
  static final long MAX_CONFIG_BYTES = 8L * 1024 * 1024;

  private final String name;
  private final String repository;
  private final RawManifest manifest;
  private final Manifest parsed;
  private final ImageConfig config;
  private final BlockingRegistry registry;
  private final Path tmpDir;
  /** The registry's own filesystem store when this process can read it, else null. */
  private final Path store;

  private RegistryImage(String name, String repository, RawManifest manifest, Manifest parsed,
      ImageConfig config, BlockingRegistry registry, Path tmpDir, Path store) {
    this.name = name;
    this.repository = repository;
    this.manifest = manifest;
    this.parsed = parsed;
    this.config = config;
    this.registry = registry;
    this.tmpDir = tmpDir;
    this.store = store;
  }

  /**
   * Loads {@code repository:reference} (an index resolves to linux/amd64).
   *
   * @param name the image's short name for messages and the plan, e.g. {@code nova-api}
   * @param tmpDir where layer blobs are pulled one at a time while being read
   */
  public static RegistryImage load(BlockingRegistry registry, String name, String repository,
      String reference, Path tmpDir) {
    String where = registry.registry() + "/" + repository + ":" + reference;
    RawManifest raw = registry.manifest(repository, reference, Platform.of("linux", "amd64"));
    ManifestContent content = ManifestContent.parse(raw.bytes(), raw.mediaType());
    if (!(content instanceof Manifest m)) {
      throw new ImageReadException(where + " is not an image manifest (" + raw.mediaType() + ")");
    }
    // Configs are small JSON documents; 8 MiB is far above any real one.
    byte[] configBytes = registry.smallBlob(repository, m.config().digest(), MAX_CONFIG_BYTES);
    ImageConfig config;
    try {
      config = ImageConfig.parse(configBytes);
    } catch (IllegalArgumentException e) {
      throw new ImageReadException("the config of " + where + " is invalid: " + e.getMessage(), e);
    }
    return new RegistryImage(name, repository, raw, m, config, registry, tmpDir, null);
  }

  /**
   * This image, with layer blobs read in place from {@code storeRoot} (the registry's
   * {@code FsStore} root) instead of pulled over HTTP; a blob missing there is still pulled.
   */
  public RegistryImage withStore(Path storeRoot) {
    return new RegistryImage(name, repository, manifest, parsed, config, registry, tmpDir,
        storeRoot);
  }

  public String name() {
    return name;
  }

  public String repository() {
    return repository;
  }

  public RawManifest manifest() {
    return manifest;
  }

  public ImageConfig config() {
    return config;
  }

  /** Layer descriptors, bottom first. */
  public List<Descriptor> layers() {
    return parsed.layers();
  }

  /**
   * When the image was built: the config's {@code created}, unless missing or the epoch
   * (reproducible builds), else the {@code build-date} label (RFC 3339, ISO date or yyyyMMdd).
   */
  public Optional<Instant> buildTime() {
    return buildTime(config);
  }

  static Optional<Instant> buildTime(ImageConfig config) {
    Optional<Instant> created = parseTime(config.created());
    if (created.isPresent() && created.get().isAfter(Instant.EPOCH)) {
      return created;
    }
    String label = config.config() == null ? null : config.config().labels().get(BUILD_DATE_LABEL);
    return parseTime(label);
  }

  static Optional<Instant> parseTime(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.strip();
    try {
      return Optional.of(java.time.OffsetDateTime.parse(v).toInstant());
    } catch (DateTimeParseException ignored) {
      // try the next format
    }
    try {
      return Optional.of(LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      // try the next format
    }
    for (DateTimeFormatter f : List.of(DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.BASIC_ISO_DATE)) {
      try {
        return Optional.of(LocalDate.parse(v, f).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException ignored) {
        // try the next format
      }
    }
    return Optional.empty();
  }

  /**
   * Each layer's blob file: in place in the store when there is one, else pulled once
   * (digest-verified) into the temp dir, where it stays for the run's later reads.
   */
  LayerReader layerReader() {
    return layer -> {
      if (store != null) {
        Path inPlace = FsStore.blobFile(store, layer.digest());
        if (Files.isRegularFile(inPlace)) {
          return inPlace;
        }
      }
      return registry.pullBlob(repository, layer.digest(), tmpDir);
    };
  }
}
