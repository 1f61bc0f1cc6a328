package dev.refit.pipeline.diff;

/**
 * One package added, removed or changed in version between A and B. Immutable.
 *
 * @param manager the package database it was read from: {@code dpkg}
 * @param a the version in A, null when added
 * @param b the version in B, null when removed
 */
public record PackageDiff(String manager, String name, Change change, String a, String b) {}
