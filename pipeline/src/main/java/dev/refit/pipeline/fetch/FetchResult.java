package dev.refit.pipeline.fetch;

import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.oci.Digest;

/**
 * The outcome of fetching one upstream image into the local registry. Immutable.
 *
 * @param upstream the upstream reference, canonical form (the cache index key)
 * @param local the local copy, {@code <local-address>/<repo>:<tag>@<digest>}
 * @param digest the manifest (or index) digest, identical upstream and locally
 * @param mediaType the manifest media type, or null when only known from an older index entry
 * @param action what was done
 * @param copy what the copy transferred, or null when nothing was copied
 */
public record FetchResult(
    String upstream, String local, Digest digest, String mediaType, FetchAction action, CopyResult copy) {}
