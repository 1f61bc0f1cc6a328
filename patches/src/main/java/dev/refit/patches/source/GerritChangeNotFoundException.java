package dev.refit.patches.source;

/** Gerrit answered 404 for a change (or a pinned patchset of it does not exist). Immutable. */
public final class GerritChangeNotFoundException extends PatchSourceException {
  public GerritChangeNotFoundException(String message) {
    super(message);
  }
}
