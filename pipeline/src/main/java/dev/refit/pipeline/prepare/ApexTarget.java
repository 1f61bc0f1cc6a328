package dev.refit.pipeline.prepare;

import java.util.function.Function;

/**
 * Where a service's patched image is published: the local registry's address, the repository
 * (the upstream's path, as mirrored) and the apex tag. Immutable; thread-safe.
 *
 * @param address the address image lists name, e.g. {@code 127.0.0.1:8787}
 * @param repositoryOf the local repository of a service
 * @param tag the apex tag, e.g. {@code apex}
 */
record ApexTarget(String address, Function<String, String> repositoryOf, String tag) {
  String repository(String service) {
    return repositoryOf.apply(service);
  }

  /** {@code HOST/REPOSITORY:TAG@DIGEST}. */
  String reference(String service, String digest) {
    return address + "/" + repository(service) + ":" + tag + "@" + digest;
  }
}
