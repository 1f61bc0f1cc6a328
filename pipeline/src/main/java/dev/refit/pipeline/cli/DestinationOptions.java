package dev.refit.pipeline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code mirror} and {@code bundle load} write: {@code --to}, or the embedded registry's
 * store under the cache. Mixed in; not thread-safe (one per command instance).
 */
final class DestinationOptions {
  @Option(names = "--to", paramLabel = "DEST",
      description = "docker://HOST[:PORT][/PREFIX] or oci:DIR (default: the embedded registry's store).")
  String to;

  @Option(names = "--dest-tls-verify", defaultValue = "true", arity = "1", paramLabel = "BOOL",
      description = "Verify the destination registry's TLS certificate (default: ${DEFAULT-VALUE}).")
  boolean destTlsVerify;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--root", paramLabel = "DIR", description = "The embedded registry's store (default: <cache>/registry).")
  Path root;

  Path cache() {
    return CacheDir.resolve(cacheDir, System.getenv());
  }

  /** The embedded store's root, used when {@code --to} is not given. */
  Path storeRoot() {
    return root != null ? root.toAbsolutePath().normalize() : cache().resolve("registry");
  }
}
