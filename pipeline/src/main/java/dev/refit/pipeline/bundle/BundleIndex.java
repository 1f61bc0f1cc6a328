package dev.refit.pipeline.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A bundle's own index ({@code refit-bundle.json}, the tar's last entry, and a copy beside the
 * bundle as {@code NAME.index.json}): the images, every blob the file carries with its size, and
 * for a differential bundle the base it needs. Immutable. See docs/bundle.md.
 *
 * @param refitBundle the format version, {@link #VERSION}
 * @param bundle the bundle's file name, so a later {@code --since NAME.index.json} can name it
 * @param images one entry per image, in index.json's order
 * @param blobs the blobs the file carries (manifests, configs, layers), in entry order
 * @param base null for a full bundle; else the bundle to load first and the blobs taken from it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleIndex(int refitBundle, String bundle, List<Image> images, List<Blob> blobs, Base base) {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public BundleIndex {
    images = List.copyOf(images);
    blobs = List.copyOf(blobs);
  }

  /**
   * {@code name} is {@code REPOSITORY:TAG} (or {@code REPOSITORY@DIGEST}); then its descriptor;
   * {@code source} is the upstream reference it was read from ({@code HOST/PATH:TAG}), null for a
   * layout.
   */
  public record Image(String name, String repository, String reference, String digest, String mediaType, long size,
      String source) {}

  public record Blob(String digest, long size) {}

  /** @param blobs the blobs the images need that this file does not carry */
  public record Base(String bundle, List<Blob> blobs) {
    public Base {
      blobs = List.copyOf(blobs);
    }
  }

  /** Every blob a destination holds once this bundle (and its base, for a differential one) is loaded. */
  public Set<String> available() {
    Set<String> out = new LinkedHashSet<>();
    blobs.forEach(b -> out.add(b.digest()));
    if (base != null) {
      base.blobs().forEach(b -> out.add(b.digest()));
    }
    return out;
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @param where names the file in the message when the JSON is not a bundle index */
  public static BundleIndex parse(byte[] json, String where) {
    try {
      BundleIndex index = JSON.readValue(json, BundleIndex.class);
      if (index.refitBundle() != VERSION || index.images() == null || index.blobs() == null) {
        throw new IOException("not a refit bundle index of version " + VERSION);
      }
      return index;
    } catch (IOException | RuntimeException e) {
      throw new RefitException(where + " is not a readable bundle index: " + e.getMessage(),
          "give a bundle written by refit bundle create, or its .index.json", ExitCode.USAGE);
    }
  }

  /** {@code site.tar} → {@code site.index.json} in the same directory. */
  public static Path besideBundle(Path bundle) {
    String name = bundle.getFileName().toString();
    String stem = name.endsWith(".tar") ? name.substring(0, name.length() - 4) : name;
    return bundle.resolveSibling(stem + ".index.json");
  }
}
