package dev.refit.settings.config;

/** What is appended to the output tag to make it unique. Immutable and thread-safe. */
public enum TagSuffix {
  /** The tag is used as is, e.g. {@code apex}. */
  NONE,
  /** {@code -YYYYMMDDTHHMMSSZ}, the UTC start time of the run. */
  TIMESTAMP,
  /** {@code -} and the first 12 hex digits of a digest over base image and patches. */
  CONTENT
}
