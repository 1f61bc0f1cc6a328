package dev.refit.pipeline.diff;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.patches.image.LayerReader;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One image as a diff reads it: its manifest digest, config and layers, with a
 * {@link LayerReader} that finds each layer blob as a file. Loaded from an {@link FsStore} whose
 * blobs are read in place. Immutable; {@link #fromStore} is blocking.
 *
 * @param reference as the user named it, for the report and messages
 * @param layers bottom first
 */
public record DiffImage(String reference, Digest digest, ImageConfig config,
    List<Descriptor> layers, LayerReader reader) {
  /** Configs are small JSON documents; 8 MiB is far above any real one. */
  static final long MAX_CONFIG_BYTES = 8L * 1024 * 1024;

  public DiffImage {
    layers = List.copyOf(layers);
  }

  /** {@code os/architecture[/variant]} from the config. */
  public String platform() {
    return config.platform().toString();
  }

  /**
   * Loads {@code repository:reference} (a tag or a digest) from the store; for an index, the
   * manifest of {@code platform}, else a failure listing the platforms it has.
   *
   * @param shown how messages and the report name the image
   */
  public static DiffImage fromStore(FsStore store, String repository, String reference,
      Platform platform, String shown) {
    Function<String, Optional<RawManifest>> manifests = ref -> store.get(repository, ref);
    Path root = store.root();
    return load(manifests, digest -> FsStore.blobFile(root, digest), platform, reference, shown,
        "the local registry at " + root);
  }

  /**
   * Loads an image whose manifests come from {@code manifests} (by tag or digest) and whose blobs
   * are files named by {@code blobs}.
   */
  static DiffImage load(Function<String, Optional<RawManifest>> manifests,
      Function<Digest, Path> blobs, Platform platform, String reference, String shown,
      String where) {
    RawManifest raw = manifests.apply(reference).orElseThrow(() -> new RefitException(
        "no image " + shown + " in " + where,
        "check the name and tag; 'refit mirror' copies an image into the local registry",
        ExitCode.FAILED));
    ManifestContent content = parse(raw, shown);
    if (content instanceof Index index) {
      Descriptor chosen = index.forPlatform(platform).orElseThrow(() -> new RefitException(
          shown + " is a multi-platform index with no " + platform + " image; it has "
              + index.manifests().stream().map(d -> String.valueOf(d.platform()))
                  .collect(Collectors.joining(", ")),
          "pick one with --platform OS/ARCH[/VARIANT]", ExitCode.USAGE));
      raw = manifests.apply(chosen.digest().toString()).orElseThrow(() -> new RefitException(
          "the " + platform + " manifest " + chosen.digest() + " of " + shown + " is missing from "
              + where, "copy the image again, with that platform", ExitCode.FAILED));
      content = parse(raw, shown);
    }
    if (!(content instanceof Manifest manifest)) {
      throw new RefitException(shown + " is not an image manifest (" + raw.mediaType() + ")",
          "name an image, not an index of indexes", ExitCode.FAILED);
    }
    Descriptor configDescriptor = manifest.config();
    ImageConfig config = readConfig(blobs.apply(configDescriptor.digest()), configDescriptor, shown);
    return new DiffImage(shown, raw.digest(), config, manifest.layers(), layer -> {
      Path file = blobs.apply(layer.digest());
      if (!Files.isRegularFile(file)) {
        throw new IOException("layer " + layer.digest() + " is missing from " + where);
      }
      return file;
    });
  }

  private static ManifestContent parse(RawManifest raw, String shown) {
    try {
      return ManifestContent.parse(raw.bytes(), raw.mediaType());
    } catch (RuntimeException e) {
      throw new RefitException("the manifest of " + shown + " is invalid: " + e.getMessage(),
          "copy the image again from its source", ExitCode.FAILED, e);
    }
  }

  private static ImageConfig readConfig(Path file, Descriptor descriptor, String shown) {
    if (descriptor.size() > MAX_CONFIG_BYTES) {
      throw new RefitException("the config of " + shown + " is " + descriptor.size()
          + " bytes, more than refit reads (" + MAX_CONFIG_BYTES + ")", null, ExitCode.FAILED);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return ImageConfig.parse(in.readNBytes((int) MAX_CONFIG_BYTES));
    } catch (IOException e) {
      throw new RefitException("cannot read the config " + descriptor.digest() + " of " + shown
          + ": " + e.getMessage(), "copy the image again from its source", ExitCode.FAILED, e);
    } catch (IllegalArgumentException e) {
      throw new RefitException("the config of " + shown + " is invalid: " + e.getMessage(),
          "copy the image again from its source", ExitCode.FAILED, e);
    }
  }
}
