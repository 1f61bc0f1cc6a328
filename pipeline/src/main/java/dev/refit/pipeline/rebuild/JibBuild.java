package dev.refit.pipeline.rebuild;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.refit.error.Causes;
import dev.refit.patches.fs.FileSource;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One jib-core build and push of a delta image, with refit's fixed settings: OCI format, creation
 * time {@link Instant#EPOCH}, inherited base config, explicit caches under the work dir. Blocking;
 * immutable, one per call.
 *
 * @param registry the local registry, {@code host:port}; base and target both live there
 * @param allowInsecure whether plain HTTP is allowed (loopback or configured plain-HTTP hosts)
 * @param workDir where jib's caches and the delta layer's helper files go
 * @param version refit's version, for jib's history entry
 * @param events receives jib's non-debug log messages
 */
record JibBuild(
    String registry, boolean allowInsecure, Path workDir, String version, Consumer<String> events) {

  /**
   * Builds {@code base@baseDigest} + the delta layer + provenance labels and pushes it to
   * {@code targetRepository:buildTag}: blobs first, manifest last (jib's order).
   *
   * @param platform the base manifest's platform when it came from an index, else null
   * @param baseFiles view of the base for parent-directory metadata, or null
   */
  JibContainer run(RebuildRequest request, Digest baseDigest, Platform platform,
      Provenance provenance, String buildTag, FileSource baseFiles) {
    String where = request.service() + " (" + request.targetRepository() + ":" + buildTag + ")";
    try {
      ImageReference base =
          ImageReference.parse(
              registry + "/" + request.base().repository()
                  + "@" + baseDigest);
      ImageReference target = ImageReference.of(registry, request.targetRepository(), buildTag);
      JibContainerBuilder builder =
          Jib.from(RegistryImage.named(base))
              .setFormat(ImageFormat.OCI)
              .setCreationTime(Instant.EPOCH)
              .addFileEntriesLayer(DeltaLayer.of(request.result(), workDir.resolve("delta"), baseFiles));
      if (platform != null) {
        // The base is one platform's manifest; tell jib which, or it expects linux/amd64.
        builder.setPlatforms(java.util.Set.of(new com.google.cloud.tools.jib.api.buildplan.Platform(
            platform.architecture(), platform.os())));
      }
      provenance.labels().forEach(builder::addLabel);
      Containerizer containerizer =
          Containerizer.to(RegistryImage.named(target))
              .setAllowInsecureRegistries(allowInsecure)
              .setBaseImageLayersCache(workDir.resolve("jib-cache/base"))
              .setApplicationLayersCache(workDir.resolve("jib-cache/app").resolve(buildTag))
              .setToolName("refit")
              .setToolVersion(version)
              .addEventHandler(LogEvent.class, e -> {
                if (e.getLevel() != LogEvent.Level.DEBUG) {
                  events.accept(e.getMessage());
                }
              });
      return builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RebuildException("rebuild of " + where + " was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RebuildException("rebuild of " + where + " failed: " + cause, cause);
    } catch (RegistryException | InvalidImageReferenceException e) {
      throw new RebuildException(
          "rebuild of " + where + " failed at the registry: " + Causes.describe(e)
              + "; check that the base " + request.base() + " is in the local registry",
          e);
    } catch (IOException | CacheDirectoryCreationException e) {
      throw new RebuildException(
          "rebuild of " + where + " failed reading files or jib's cache under the work dir: "
              + Causes.describe(e),
          e);
    }
  }
}
