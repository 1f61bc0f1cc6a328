package dev.refit.registry.store;

/**
 * The content-addressed blob store: each blob is held once, whatever number of repositories
 * reference it. Composed of the role interfaces so that callers depend on the least they need.
 */
public interface BlobStore extends BlobStatter, BlobIngester, BlobDeleter {}
