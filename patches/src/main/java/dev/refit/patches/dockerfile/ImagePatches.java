package dev.refit.patches.dockerfile;

import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.ImageRef;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the Dockerfile of one image needs: its service name, the base it is pinned to, the
 * user its config runs as, the patches applied (in order) and their merged result. Immutable and
 * thread-safe.
 *
 * @param service directory name under {@code containers/}, e.g. {@code nova-api}
 * @param base the image in the local registry, pinned by digest
 *     ({@code 127.0.0.1:8787/tripleo/nova-api@sha256:...}; a tag may be present too)
 * @param originalUser {@code config.User} of the base image; "" (or null) when unset
 * @param patches the applied patches, in the order they were applied; not empty
 * @param result the merged result of all patches ({@link PatchResult#merge}); the copy style
 *     writes it, the apex style ignores it
 */
public record ImagePatches(
    String service, ImageRef base, String originalUser, List<AppliedPatch> patches, PatchResult result) {

  // Docker image name component grammar, lower case: safe as a directory name and in a tag.
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

  public ImagePatches {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(patches, "patches");
    Objects.requireNonNull(result, "result");
    originalUser = originalUser == null ? "" : originalUser;
    patches = List.copyOf(patches);
    if (!SERVICE.matcher(service).matches()) {
      throw new DockerfileException("invalid service name '" + service + "': expected lower-case"
          + " letters and digits separated by '.', '_' or '-', e.g. nova-api");
    }
    if (base.transport() != ImageRef.Transport.DOCKER || base.digest() == null) {
      throw new DockerfileException("image " + service + ": base " + base + " is not pinned by digest"
          + " in a registry; refit's Dockerfiles build FROM <registry>/<repository>@<digest>");
    }
    if (patches.isEmpty()) {
      throw new DockerfileException("image " + service + ": no applied patches given; an image"
          + " that no patch touches needs no Dockerfile, leave it out");
    }
  }

  /** The {@code FROM} reference: registry, repository and digest, no tag. */
  public String pinnedBase() {
    return base.name() + "@" + base.digest();
  }
}
