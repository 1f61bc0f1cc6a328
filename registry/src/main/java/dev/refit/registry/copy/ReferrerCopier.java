package dev.refit.registry.copy;

import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import java.util.List;

/**
 * Copies what refers to an image (signatures, SBOMs, attestations) after the image, and what
 * refers to those after them, through the same {@link ImageCopier} so their blobs share its
 * ledger. Thread-safe.
 *
 * <p>Each referrer is stored by digest; then the sink is told to make the list discoverable,
 * which a registry without the referrers API does through the {@code sha256-<hex>} tag
 * (distribution-spec "Referrers Tag Schema").
 */
public final class ReferrerCopier {
  /**
   * How deep referrers of referrers are followed. A referrer's digest covers its subject's, so
   * the graph has no cycles; the bound only stops an absurdly long chain.
   */
  static final int MAX_DEPTH = 8;

  private final ImageCopier copier;

  public ReferrerCopier(ImageCopier copier) {
    this.copier = copier;
  }

  /**
   * Copies the referrers of {@code subject} from {@code source} to {@code sink}; completes with
   * their counts added up (a null digest: there may be none).
   */
  public Future<CopyResult> copy(ImageSource source, Digest subject, ImageSink sink) {
    return walk(source, subject, sink, 1);
  }

  private Future<CopyResult> walk(ImageSource source, Digest subject, ImageSink sink, int depth) {
    if (depth > MAX_DEPTH) {
      return Future.succeededFuture(none());
    }
    return source.referrers(subject).compose(found -> {
      List<Future<CopyResult>> each = found.manifests().stream()
          .map(d -> copier.copy(source, d.digest().toString(), sink, null)
              .compose(r -> walk(source, d.digest(), sink, depth + 1).map(r::plus)))
          .toList();
      return Future.all(each)
          .compose(all -> sink.putReferrers(subject, found)
              .map(v -> each.stream().map(Future::result).reduce(none(), CopyResult::plus)));
    });
  }

  private static CopyResult none() {
    return new CopyResult(null, null, 0, 0, 0, 0, 0);
  }
}
