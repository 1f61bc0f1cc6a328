package dev.refit.pipeline.mirror;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code refit mirror} was asked to do. Immutable.
 *
 * @param syncFile a skopeo-sync YAML file, or null when {@code refs} name the images
 * @param refs {@code docker://HOST/REPO[:TAG|@DIGEST]} or {@code oci:DIR[:NAME]}; no tag means every tag
 * @param to {@code docker://HOST[/PREFIX]}, {@code oci:DIR}, or null for the embedded store
 * @param storeRoot the embedded store's root (used when {@code to} is null)
 * @param platforms {@code os/arch[/variant]} to keep of each index; overrides the file's
 * @param concurrency blob transfers in flight across the run (images: {@code MirrorRunner.IMAGES_AT_ONCE})
 * @param noFetch refuse every source that needs the network (exit 3 naming them)
 * @param destTlsVerify verify the destination registry's certificate
 * @param cephadmConf where to write cephadm's image settings for the mirror, or null
 */
public record MirrorRequest(Path syncFile, List<String> refs, String to, Path storeRoot, List<String> platforms,
    int concurrency, boolean noFetch, DestinationNaming naming, boolean destTlsVerify, Path cephadmConf) {

  public MirrorRequest {
    refs = List.copyOf(refs);
    platforms = List.copyOf(platforms);
  }

  public static MirrorRequest of(Path syncFile, Path storeRoot) {
    return new MirrorRequest(syncFile, List.of(), null, storeRoot, List.of(), 8, false, DestinationNaming.BASE, true, null);
  }

  public MirrorRequest withTo(String value) {
    return new MirrorRequest(syncFile, refs, value, storeRoot, platforms, concurrency, noFetch, naming, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withRefs(List<String> value) {
    return new MirrorRequest(syncFile, value, to, storeRoot, platforms, concurrency, noFetch, naming, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withPlatforms(List<String> value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, value, concurrency, noFetch, naming, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withConcurrency(int value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, platforms, value, noFetch, naming, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withNoFetch(boolean value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, platforms, concurrency, value, naming, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withNaming(DestinationNaming value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, platforms, concurrency, noFetch, value, destTlsVerify, cephadmConf);
  }

  public MirrorRequest withDestTlsVerify(boolean value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, platforms, concurrency, noFetch, naming, value, cephadmConf);
  }

  public MirrorRequest withCephadmConf(Path value) {
    return new MirrorRequest(syncFile, refs, to, storeRoot, platforms, concurrency, noFetch, naming, destTlsVerify,
        value);
  }
}
