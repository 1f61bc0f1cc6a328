package dev.refit.registry.store;

/**
 * A repository name that the distribution-spec grammar rejects, or that could escape the store's
 * root. Maps to the registry error NAME_INVALID.
 */
public class InvalidRepositoryNameException extends IllegalArgumentException {
  public InvalidRepositoryNameException(String message) {
    super(message);
  }
}
