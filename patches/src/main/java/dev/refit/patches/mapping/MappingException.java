package dev.refit.patches.mapping;

/** A patch cannot be placed (no image matches it under the strict policy); says what to do. Immutable. */
public final class MappingException extends RuntimeException {
  public MappingException(String message) {
    super(message);
  }
}
