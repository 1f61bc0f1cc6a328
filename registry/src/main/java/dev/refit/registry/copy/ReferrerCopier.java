package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

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

  /**
   * Like {@link #copy}, and for an index ({@code mediaType}, as copied) also the referrers of each
   * child manifest kept by {@code platforms} (empty keeps all): a signature or attestation made for one platform's image
   * travels with it, as {@code cosign sign --recursive} attaches them.
   */
  public Future<CopyResult> copyWithChildren(ImageSource source, Digest subject, String mediaType,
      ImageSink sink, Set<Platform> platforms) {
    Future<CopyResult> own = copy(source, subject, sink);
    if (mediaType == null || !MediaType.isIndex(mediaType)) {
      return own;
    }
    return source.manifest(subject.toString()).compose(raw -> {
      List<Future<CopyResult>> children = Index.parse(raw.bytes()).manifests().stream()
          .filter(d -> MediaType.isManifest(d.mediaType()) && kept(d, platforms))
          .map(d -> copy(source, d.digest(), sink))
          .toList();
      return Future.all(children).compose(v -> own.map(r -> children.stream().map(Future::result)
          .reduce(r, CopyResult::plus)));
    });
  }

  private static boolean kept(Descriptor child, Set<Platform> platforms) {
    return platforms.isEmpty() || platforms.stream().anyMatch(p -> p.matches(child.platform()));
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
