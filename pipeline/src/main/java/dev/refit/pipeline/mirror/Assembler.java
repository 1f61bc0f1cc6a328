package dev.refit.pipeline.mirror;

import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.ImageCopyException;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a multi-platform index from single-platform tags ({@code refit.assemble}), e.g.
 * {@code ceph/ceph-grafana:6.7.4} from {@code 6.7.4-x86_64} and {@code 6.7.4-aarch64}: each
 * entry's platform is read from its image config, the images are copied by digest, then the
 * index is written under the tag. A Docker manifest list when every part is a Docker manifest,
 * else an OCI index recording its parts in {@value #ASSEMBLED_FROM}. Event-loop safe.
 */
final class Assembler {
  /** The source tags an assembled OCI index was built from, comma-separated. */
  static final String ASSEMBLED_FROM = "dev.refit.mirror.assembled-from";

  private final Destination destination;
  private final ImageCopier copier;

  Assembler(Destination destination, ImageCopier copier) {
    this.destination = destination;
    this.copier = copier;
  }

  Future<MirrorOutcome> assemble(MirrorItem item, String dest) {
    SourceRepo source = item.source();
    List<Future<Digest>> heads = item.parts().stream().map(tag -> source.head(tag).compose(d -> d
        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(new ImageCopyException(
            "cannot assemble " + dest + ": " + source.describe(tag) + " does not exist"))))).toList();
    return Future.all(heads).compose(all -> {
      List<Digest> digests = heads.stream().map(Future::result).toList();
      return destination.manifest(item.destRepository(), item.destRef()).compose(now -> {
        Optional<RawManifest> same = now.filter(raw -> children(raw).equals(digests));
        if (same.isPresent()) {
          return Future.succeededFuture(MirrorOutcome.unchanged(item.describeSource(), dest,
              same.get().digest().toString()));
        }
        return build(item, digests, dest);
      });
    });
  }

  private Future<MirrorOutcome> build(MirrorItem item, List<Digest> digests, String dest) {
    List<Future<Part>> parts = new ArrayList<>();
    for (int i = 0; i < digests.size(); i++) {
      parts.add(part(item, item.parts().get(i), digests.get(i)));
    }
    return Future.all(parts).compose(all -> {
      List<Part> done = parts.stream().map(Future::result).toList();
      boolean docker = done.stream().allMatch(p -> MediaType.DOCKER_MANIFEST.equals(p.manifest.mediaType()));
      List<Descriptor> entries = done.stream().map(p -> p.manifest.descriptor().withPlatform(p.config.platform()))
          .toList();
      Index index = docker
          ? new Index(2, MediaType.DOCKER_MANIFEST_LIST, null, entries, null, Map.of())
          : Index.of(entries).withAnnotations(Map.of(ASSEMBLED_FROM, String.join(",", item.parts())));
      RawManifest raw = index.toRaw();
      return destination.sink(item.destRepository()).putManifest(item.destRef(), raw).map(v -> {
        CopyResult sum = new CopyResult(raw.digest(), raw.mediaType(), done.size() + 1,
            done.stream().mapToInt(p -> p.copied.blobsCopied()).sum(),
            done.stream().mapToInt(p -> p.copied.blobsSkipped()).sum(),
            done.stream().mapToInt(p -> p.copied.blobsMounted()).sum(),
            done.stream().mapToLong(p -> p.copied.bytesCopied()).sum());
        return MirrorRunner.row(item.describeSource(), dest, MirrorOutcome.ASSEMBLED, sum);
      });
    });
  }

  /** One per-platform tag: its manifest and config, copied to the destination by digest. */
  private Future<Part> part(MirrorItem item, String tag, Digest digest) {
    SourceRepo source = item.source();
    return source.images().manifest(digest.toString()).compose(raw -> {
      if (!(ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Manifest manifest)) {
        return Future.failedFuture(new ImageCopyException("cannot assemble from " + source.describe(tag)
            + ": it is an index, not a single-platform image"));
      }
      return source.smallBlob(manifest.config()).map(ImageConfig::parse).compose(config ->
          copier.withOptions(copier.options().withPlatforms(java.util.Set.of()))
              .copy(source.images(), digest.toString(), destination.sink(item.destRepository()), digest.toString())
              .map(copied -> new Part(raw, config, copied)));
    });
  }

  private static List<Digest> children(RawManifest raw) {
    return ManifestContent.parse(raw.bytes(), raw.mediaType()) instanceof Index index
        ? index.manifests().stream().map(Descriptor::digest).toList() : List.of();
  }

  private record Part(RawManifest manifest, ImageConfig config, CopyResult copied) {}
}
