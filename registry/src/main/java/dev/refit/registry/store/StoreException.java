package dev.refit.registry.store;

/**
 * The store could not read or write its files (disk full, permissions, a corrupt layout). Wraps
 * the IOException once, naming the path and the operation.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
