package dev.refit.pipeline.fetch;

/** What a fetch did for one image or artifact. */
public enum FetchAction {
  /** Not in the cache before: copied or downloaded now. */
  FETCHED,
  /** Unchanged upstream (or offline) and present locally: nothing transferred. */
  CACHED,
  /** Changed upstream since the last fetch: only what was missing was transferred. */
  UPDATED
}
