package dev.refit.registry.copy;

/**
 * Where a source's blobs live, so a sink on the same registry can mount them instead of
 * receiving bytes (go-containerregistry's MountableLayer). Immutable.
 */
public record Origin(String registry, String repository) {}
