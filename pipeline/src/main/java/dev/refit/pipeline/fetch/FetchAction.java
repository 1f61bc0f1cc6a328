package dev.refit.pipeline.fetch;

/** What a fetch did for one image or artifact. */
public enum FetchAction {
  /** Not in the cache before: copied or downloaded now. */
  FETCHED,
  /** Unchanged upstream and present locally: nothing transferred. */
  CACHED,
  /** Offline: taken from the cache and the local registry without asking upstream. */
  OFFLINE,
  /** Changed upstream since the last fetch: only what was missing was transferred. */
  UPDATED
}
