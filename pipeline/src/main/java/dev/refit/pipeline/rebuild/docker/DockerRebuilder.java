package dev.refit.pipeline.rebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.refit.error.Causes;
import dev.refit.pipeline.rebuild.BuildKey;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.pipeline.rebuild.RebuildException;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.settings.config.DockerfileStyle;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code docker} builder: builds the patched image with the Docker engine from the copy-style
 * build context the patches module writes (the per-image folder of {@code docker_patches.tar.gz}),
 * tags it {@code <local>/<repo>:<tag>}, pushes it to the local registry and reports the pushed
 * manifest digest. Blocking; thread-safe (holds no per-build state), so one instance may serve
 * several worker threads.
 *
 * <p>The engine pulls the base by digest from the local registry itself: the Dockerfile says
 * {@code FROM <local>/<repo>@<digest>}, and loopback registries are insecure-allowed by the engine
 * (dockerd's default {@code --insecure-registry 127.0.0.0/8}). Provenance and the build key go in
 * as build labels ({@code docker build --label}), which the engine writes into the final config
 * over any LABEL of the Dockerfile. A push cannot carry manifest annotations, so the docker
 * builder records provenance in config labels only.
 */
public final class DockerRebuilder implements Rebuilder {

  /** The builder name recorded in provenance and the build key. */
  public static final String NAME = "docker";

  private final DockerClient docker;
  private final LocalImages images;
  private final String version;
  private final Path workDir;
  private final ProgressListener listener;
  private final Duration timeout;
  private final boolean removeAfterPush;
  private final ContextSource contexts;

  private DockerRebuilder(DockerClient docker, RegistryClient local, String version, Path workDir,
      ProgressListener listener, Duration timeout, boolean removeAfterPush, ContextSource contexts) {
    this.contexts = Objects.requireNonNull(contexts, "contexts");
    this.docker = Objects.requireNonNull(docker, "docker");
    this.version = Objects.requireNonNull(version, "version");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.listener = listener == null ? ProgressListener.NONE : listener;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.removeAfterPush = removeAfterPush;
    this.images = new LocalImages(Objects.requireNonNull(local, "local"), Duration.ofMinutes(5));
  }

  /**
   * A docker rebuilder over {@code docker} that reads and publishes through {@code local} (the
   * local registry, which the engine must reach under the same {@code host:port}). Build
   * contexts are written from the request in the copy style ({@link ContextSource#fromPatches})
   * and staged as temp files in {@code workDir}. Builds and pushes time out after 30 minutes
   * each; the built image is removed from the engine after a successful push.
   */
  public static DockerRebuilder of(DockerClient docker, RegistryClient local, String version, Path workDir,
      ProgressListener listener) {
    return new DockerRebuilder(docker, local, version, workDir, listener, Duration.ofMinutes(30), true,
        ContextSource.fromPatches(DockerfileStyle.COPY));
  }

  /** This rebuilder with another limit for each build and push. */
  public DockerRebuilder withTimeout(Duration newTimeout) {
    return new DockerRebuilder(docker, images.client(), version, workDir, listener, newTimeout, removeAfterPush, contexts);
  }

  /**
   * This rebuilder taking build contexts from {@code source}, e.g. the
   * {@code docker_patches.tar.gz} of the patch stage ({@link ContextSource#fromArchive}). The
   * build key covers the request, not the archive's style: put the Dockerfile style into the
   * request's options when it is not the copy style.
   */
  public DockerRebuilder withContextSource(ContextSource source) {
    return new DockerRebuilder(docker, images.client(), version, workDir, listener, timeout, removeAfterPush, source);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RebuildResult rebuild(RebuildRequest request) {
    String service = request.service();
    try {
      return rebuildChecked(request);
    } catch (RebuildException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RebuildException("docker rebuild of " + service + " failed: " + Causes.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RebuildException("docker rebuild of " + service + " was interrupted", e);
    }
  }

  private RebuildResult rebuildChecked(RebuildRequest request) throws IOException, InterruptedException {
    String service = request.service();
    if (!images.registry().equals(request.base().registry())) {
      throw new RebuildException("docker rebuild of " + service + ": base " + request.base()
          + " is not in the local registry " + images.registry() + "; fetch it there first");
    }
    String repo = request.targetRepository();
    String key = BuildKey.of(request, NAME);
    Optional<RebuildResult> same = existing(request, key);
    if (same.isPresent()) {
      listener.onProgress(service, ProgressListener.Phase.BUILD, repo + ":" + request.tag()
          + " already carries build key " + key + "; nothing to do");
      return same.get();
    }
    ImageConfig base = images.config(request.base().repository(), request.base().digest().toString())
        .orElseThrow(() -> new RebuildException("docker rebuild of " + service + ": base " + request.base()
            + " is an index, not a single-platform image; pin the platform's manifest digest"));
    Provenance provenance = Provenance.of(request, NAME, version);
    String local = images.registry() + "/" + repo;
    String tagged = local + ":" + request.tag();
    // The work dir may be a fresh run's subdirectory that nothing has created yet.
    Path tar = Files.createTempFile(Files.createDirectories(workDir), "docker-context-" + service + "-", ".tar");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
        contexts.write(request, base.config().user(), out);
      }
      String imageId = build(service, tar, tagged, provenance);
      String pushedDigest = push(service, local, request.tag());
      Digest digest = images.digest(repo, request.tag()).orElseThrow(() -> new RebuildException(
          "docker push of " + tagged + " reported success, but the local registry has no "
              + repo + ":" + request.tag() + "; check the registry's logs"));
      if (pushedDigest != null && !pushedDigest.equals(digest.toString())) {
        throw new RebuildException("docker push of " + tagged + " pushed " + pushedDigest
            + ", but the tag now points at " + digest + "; another writer changed the tag meanwhile");
      }
      if (removeAfterPush) {
        remove(service, tagged, imageId);
      }
      return new RebuildResult(service, digest, repo + ":" + request.tag() + "@" + digest, NAME, key, false);
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  /** The result already published when the tag carries the same build key in its config. */
  private Optional<RebuildResult> existing(RebuildRequest request, String key) {
    String repo = request.targetRepository();
    Optional<Digest> current = images.digest(repo, request.tag());
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Digest digest = current.get();
    return images.config(repo, digest.toString())
        .filter(c -> key.equals(c.config().labels().get(Provenance.BUILD_KEY)))
        .map(c -> new RebuildResult(request.service(), digest, repo + ":" + request.tag() + "@" + digest,
            NAME, key, true));
  }

  /** POST /build with the context streamed from the staged tar; returns the image id. */
  private String build(String service, Path tar, String tagged, Provenance provenance)
      throws IOException, InterruptedException {
    EngineStream<BuildResponseItem> stream = new EngineStream<>(service, ProgressListener.Phase.BUILD, listener);
    try (InputStream in = Files.newInputStream(tar)) {
      docker.buildImageCmd(in)
          .withTags(Set.of(tagged))
          .withLabels(provenance.labels())
          .withRemove(true)
          .withForcerm(true)
          .exec(stream);
      await(stream, "docker build of " + service + " (" + tagged + ")");
    }
    if (!stream.errors().isEmpty()) {
      removeSteps(service, stream.steps());
      throw new RebuildException("docker build of " + service + " (" + tagged + ") failed: "
          + String.join("; ", stream.errors()));
    }
    if (stream.imageId() == null) {
      throw new RebuildException("docker build of " + service + " (" + tagged + ") ended without an"
          + " image id and without an error; see the build output above");
    }
    return stream.imageId();
  }

  /** Pushes {@code local:tag}; returns the digest the engine reported, or null. */
  private String push(String service, String local, String tag) throws InterruptedException {
    String tagged = local + ":" + tag;
    listener.onProgress(service, ProgressListener.Phase.PUSH, "pushing " + tagged);
    EngineStream<PushResponseItem> stream = new EngineStream<>(service, ProgressListener.Phase.PUSH, listener);
    docker.pushImageCmd(local).withTag(tag).exec(stream);
    await(stream, "docker push of " + tagged);
    // The engine answers a failed push with HTTP 200 and an error item; never treat that as done.
    if (!stream.errors().isEmpty()) {
      throw new RebuildException("docker push of " + tagged + " failed: " + String.join("; ", stream.errors()));
    }
    return stream.digest();
  }

  private void await(EngineStream<?> stream, String what) throws InterruptedException {
    boolean done;
    try {
      done = stream.finish(timeout);
    } catch (DockerException e) {
      throw new RebuildException(what + " failed: the engine answered " + e.getHttpStatus() + ": "
          + Causes.describe(e), e);
    } catch (RuntimeException e) {
      throw new RebuildException(what + " failed: " + Causes.describe(e), e);
    }
    if (!done) {
      closeQuietly(stream);
      throw new RebuildException(what + " did not finish within " + timeout.toSeconds() + "s");
    }
    if (stream.errors().isEmpty() && stream.listenerFailure() != null) {
      throw new RebuildException(what + " succeeded, but the progress listener failed: "
          + Causes.describe(stream.listenerFailure()), stream.listenerFailure());
    }
  }

  private void remove(String service, String tagged, String imageId) {
    try {
      docker.removeImageCmd(tagged).withForce(false).exec();
    } catch (DockerException e) {
      // The image is published; a leftover in the engine only costs disk space.
      listener.onProgress(service, ProgressListener.Phase.PUSH, "could not remove " + tagged
          + " (" + imageId + ") from the engine: " + Causes.describe(e));
    }
  }

  /**
   * A failed classic build leaves the images of its finished steps behind, untagged. Removes them,
   * newest first, except the first: that is the FROM step, the base image itself. An id still used
   * by another image is refused by the engine (conflict) and stays, which is what we want.
   */
  private void removeSteps(String service, java.util.List<String> steps) {
    for (int i = steps.size() - 1; i >= 1; i--) {
      try {
        docker.removeImageCmd(steps.get(i)).withForce(false).exec();
      } catch (DockerException e) {
        listener.onProgress(service, ProgressListener.Phase.BUILD, "left step image " + steps.get(i)
            + " in the engine: " + Causes.describe(e));
      }
    }
  }

  private static void closeQuietly(EngineStream<?> stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Closing only aborts the stream we are abandoning; the timeout is what gets reported.
    }
  }
}
