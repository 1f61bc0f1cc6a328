package dev.refit.registry.client;

/** How a blob reached the target repository. */
public enum PushOutcome {
  /** The repository already had it (HEAD answered 200). */
  EXISTED,
  /** Linked from another repository of the same registry without sending bytes. */
  MOUNTED,
  /** Its bytes were uploaded. */
  UPLOADED
}
