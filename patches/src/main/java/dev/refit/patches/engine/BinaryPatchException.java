package dev.refit.patches.engine;

/** A patch that carries binary content, which refit refuses to apply. Immutable. */
public final class BinaryPatchException extends PatchException {

  public BinaryPatchException(String source, String file) {
    super("patch " + source + " changes binary file " + file
        + "; binary patches are not supported, ship the file through an install/ tree instead");
  }
}
