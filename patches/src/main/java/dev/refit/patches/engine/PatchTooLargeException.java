package dev.refit.patches.engine;

/** A patch larger than {@link PatchOptions#maxPatchBytes()}, refused while streaming. Immutable. */
public final class PatchTooLargeException extends PatchException {

  public PatchTooLargeException(String source, long limit) {
    super("patch " + source + " is larger than the limit of " + limit
        + " bytes; split it or raise the patch size limit");
  }
}
