package dev.refit.patches.mapping;

/**
 * Where a project's root lives inside one image, and why. Immutable and thread-safe.
 *
 * @param path normalised, relative to the image root (e.g. {@code usr/lib/python3.6/site-packages})
 */
public record DetectedPath(String path, String reason) {}
