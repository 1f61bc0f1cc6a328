package dev.refit.pipeline.verify;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.image.ImageFileSource;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.PathRequest;
import dev.refit.pipeline.diff.DiffImage;
import dev.refit.pipeline.diff.DiffOptions;
import dev.refit.pipeline.diff.ImageDiff;
import dev.refit.pipeline.diff.StoreDiffs;
import dev.refit.pipeline.diff.StoreRef;
import dev.refit.pipeline.prepare.AppliedRecord;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.fs.FsStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks that an {@code :apex} image in the embedded registry's store is exactly its base plus
 * its declared patches: the labels name both, {@link ExpectedChanges} re-applies the patches from
 * the cache, {@link StoreDiffs} diffs base→apex, and {@link Comparison} holds one against the
 * other. Reads only the store and the cache, never the network. Blocking (run it on the
 * {@code refit-diff} pool); one per run.
 */
public final class Verifier {
  private final FsStore store;
  private final Path cacheDir;
  private final LayerCache layers;
  private final Path workDir;

  /**
   * @param layers layer indexes and extracted contents, shared with the diff
   * @param workDir receives the re-applied contents; the caller removes it
   */
  public Verifier(FsStore store, Path cacheDir, LayerCache layers, Path workDir) {
    this.store = store;
    this.cacheDir = cacheDir;
    this.layers = layers;
    this.workDir = workDir;
  }

  /** Verifies {@code image}; a failure to read what it needs is a {@link RefitException}. */
  public VerifyReport verify(StoreRef image) {
    DiffOptions options = DiffOptions.defaults();
    DiffImage apex = DiffImage.fromStore(store, image.repository(), image.reference(),
        options.platform(), image.toString());
    ApexLabels labels = ApexLabels.of(apex.config(), image.toString());
    String baseRepo = baseRepository(labels, image);
    DiffImage base = DiffImage.fromStore(store, baseRepo, labels.baseDigest().toString(),
        options.platform(), baseRepo + "@" + labels.baseDigest());
    AppliedRecord record = AppliedRecord.load(cacheDir, labels.baseDigest(), labels.shas())
        .orElseThrow(() -> new RefitException("no record in " + cacheDir + " of how " + image
            + " was patched (" + labels.patches().size() + " patch(es) on " + labels.baseDigest()
            + "); refit verify re-applies what 'refit prepare' recorded there",
            "run 'refit prepare' with this refit and this cache directory (delete "
                + cacheDir.resolve("apex-inputs.json") + " first so it does not skip the image)",
            ExitCode.FAILED));
    Function<PathRequest, FileSource> baseFiles = request -> ImageFileSource.open(
        base.reference(), base.layers(), request, layers, base.reader());
    ExpectedChanges.Result expected = ExpectedChanges.compute(cacheDir, record, baseFiles,
        workDir, image.toString());
    ImageDiff diff = StoreDiffs.diff(store, layers, baseRepo, labels.baseDigest().toString(),
        image.repository(), apex.digest().toString(), options);
    Comparison.Outcome outcome = Comparison.compare(expected, diff.paths(), diff.config(),
        labels.patches(), f -> sameAsBase(baseFiles, f));
    Set<String> unusable = expected.findings().stream().map(Finding::subject)
        .collect(Collectors.toSet());
    List<VerifyReport.PatchState> patches = labels.patches().stream()
        .map(p -> new VerifyReport.PatchState(p.id(), p.source(), p.sha256().toString(),
            !unusable.contains(p.id())))
        .toList();
    List<Finding> unexplained = new java.util.ArrayList<>(expected.findings());
    unexplained.addAll(outcome.unexplained());
    return new VerifyReport(image.toString(), apex.digest(), labels.baseName(),
        labels.baseDigest(), labels.builder(), patches, outcome.explained(), unexplained);
  }

  /** The base's repository: the one its name label gives, else the image's own. */
  private String baseRepository(ApexLabels labels, StoreRef image) {
    String digest = labels.baseDigest().toString();
    if (labels.baseName() != null) {
      try {
        String named = StoreRef.parse(labels.baseName()).repository();
        if (store.get(named, digest).isPresent()) {
          return named;
        }
      } catch (RefitException e) {
        // an unusable name label: look beside the image
      }
    }
    if (store.get(image.repository(), digest).isPresent()) {
      return image.repository();
    }
    throw new RefitException("the base of " + image + ", " + Optional.ofNullable(labels.baseName())
        .orElse(image.repository()) + "@" + digest + ", is not in the local registry at "
        + store.root(), "mirror the base into the local registry again ('refit prepare' or"
        + " 'refit mirror'); verify compares against it", ExitCode.FAILED);
  }

  /** Whether the base already holds {@code f} exactly (a patch that changed nothing there). */
  private static boolean sameAsBase(Function<PathRequest, FileSource> baseFiles,
      ExpectedChanges.File f) {
    FileSource files = baseFiles.apply(PathRequest.of(List.of(f.path())));
    Optional<FileEntry> e = files.entry(f.path());
    if (e.isEmpty() || !e.get().isFile() || e.get().mode() != f.mode()
        || e.get().uid() != f.uid() || e.get().gid() != f.gid() || e.get().size() != f.size()) {
      return false;
    }
    try (InputStream in = files.open(f.path())) {
      return HashingOutputStream.hash(in, Digest.Algorithm.SHA256).equals(f.sha256());
    } catch (IOException ex) {
      throw new RefitException("cannot read " + f.path() + " from the base: " + Causes.describe(ex),
          null, ExitCode.FAILED, ex);
    }
  }
}
