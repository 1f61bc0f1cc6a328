package dev.refit.patches.engine;

/** A patch that changes no file at all. Immutable. */
public final class EmptyPatchException extends PatchException {

  public EmptyPatchException(String source) {
    super("patch " + source + " is empty: it contains no file changes; check that the file is a"
        + " unified diff or git format-patch output");
  }
}
