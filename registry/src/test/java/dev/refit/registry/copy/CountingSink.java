package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes every call to a real sink and counts blob puts per digest and the manifest order. */
final class CountingSink implements ImageSink {
  final ImageSink delegate;
  final ConcurrentHashMap<Digest, AtomicInteger> puts = new ConcurrentHashMap<>();
  final List<String> manifestOrder = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  CountingSink(ImageSink delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<Boolean> hasBlob(Descriptor blob) {
    return delegate.hasBlob(blob);
  }

  @Override
  public Future<Boolean> mount(Descriptor blob, Origin from) {
    return delegate.mount(blob, from);
  }

  @Override
  public Future<Void> putBlob(Descriptor blob, BlobPayload payload) {
    puts.computeIfAbsent(blob.digest(), d -> new AtomicInteger()).incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    return delegate.putBlob(blob, payload).onComplete(ar -> inFlight.decrementAndGet());
  }

  @Override
  public Future<Void> putManifest(String reference, RawManifest manifest) {
    manifestOrder.add(manifest.digest().toString());
    return delegate.putManifest(reference, manifest);
  }
}
