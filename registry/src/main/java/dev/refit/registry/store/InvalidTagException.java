package dev.refit.registry.store;

/**
 * A tag that the distribution-spec grammar {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} rejects.
 * Maps to the registry error MANIFEST_INVALID (or NAME_INVALID for lookups).
 */
public class InvalidTagException extends IllegalArgumentException {
  public InvalidTagException(String message) {
    super(message);
  }
}
