package dev.refit.pipeline.fetch;

import dev.refit.error.Causes;
import dev.refit.patches.mapping.ImageCatalog;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.InvalidImageRefException;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.ImagesConfig;
import dev.refit.settings.config.UpstreamConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The upstream forms {@code refit prepare} reads and how a service maps to an image in each:
 * the TripleO registry form, {@code docker://HOST/NAMESPACE} (the same, spelled as a transport),
 * and an OCI image layout directory {@code oci:DIR} (the air-gapped mirror).
 *
 * <p>In a layout, service {@code nova-api} is the image named (annotation
 * {@code org.opencontainers.image.ref.name}, as {@code skopeo copy ... oci:DIR:NAME} writes it)
 * {@code <namespace>/<name_prefix>nova-api:<tag>}; see {@link LayoutImage} for the other names
 * accepted. Stateless and thread-safe; {@link #discover} is blocking.
 */
public final class UpstreamForms {
  private static final String DOCKER = "docker://";

  private UpstreamForms() {}

  /**
   * The settings with a {@code docker://} upstream turned into the registry form, and a relative
   * layout directory made absolute against refit.yaml's directory; an unreadable upstream is
   * left as it is for {@link #unsupported} to explain.
   */
  public static LoadedSettings normalized(LoadedSettings settings) {
    UpstreamConfig u = settings.config().upstream();
    UpstreamConfig fixed = switch (u.kind()) {
      case DOCKER -> unsupported(u).isPresent() ? u : registryForm(u);
      case OCI -> unsupported(u).isPresent() ? u : absoluteLayout(u, settings.config().file());
      default -> u;
    };
    return fixed == u ? settings : new LoadedSettings(settings.deploy(), settings.common(),
        settings.patches(), settings.config().withUpstream(fixed));
  }

  /** Why prepare cannot read this upstream (what to write instead), or empty when it can. */
  public static Optional<String> unsupported(UpstreamConfig u) {
    switch (u.kind()) {
      case REGISTRY:
        return Optional.empty();
      case DOCKER: {
        String rest = u.reference().substring(DOCKER.length());
        String last = rest.substring(rest.lastIndexOf('/') + 1);
        if (rest.contains("@") || last.contains(":")) {
          return Optional.of("upstream " + u.reference() + " names one image (it has a tag or a"
              + " digest), but refit prepare reads a family of service images: write"
              + " docker://HOST/NAMESPACE and give the tag as upstream.tag");
        }
        return Optional.empty();
      }
      case OCI: {
        ImageRef ref;
        try {
          ref = ImageRef.parse(u.reference());
        } catch (InvalidImageRefException e) {
          return Optional.of("upstream " + u.reference() + ": " + Causes.describe(e));
        }
        if (ref.tag() != null || ref.sourceIndex() >= 0) {
          return Optional.of("upstream " + u.reference() + " names one image in the layout, but"
              + " refit prepare reads a family of service images from it: write oci:DIR, and name"
              + " the images in DIR <namespace>/<name_prefix><service>:<tag>");
        }
        return Optional.empty();
      }
      default:
        return Optional.of("refit prepare reads a registry (registry/namespace or docker://) or an"
            + " OCI layout directory (oci:DIR), not " + u.reference() + "; unpack it into a layout"
            + " first, e.g. skopeo copy " + u.reference() + " oci:DIR:NAMESPACE/NAME:TAG");
    }
  }

  /**
   * The upstream image of {@code service}: {@code REGISTRY/NAMESPACE/PREFIXservice:TAG}, or for
   * a layout {@code oci:DIR:NAMESPACE/PREFIXservice:TAG}. Expects {@link #normalized} settings.
   */
  public static ImageRef imageRef(UpstreamConfig u, String osVersion, String service) {
    if (u.kind() == UpstreamConfig.Kind.OCI) {
      return ImageRef.parse("oci:" + layoutDir(u) + ":" + u.localRepositoryFor(osVersion, service)
          + ":" + u.tag());
    }
    return ImageRef.parse(u.repositoryFor(osVersion, service) + ":" + u.tag());
  }

  /** The layout directory of an {@code oci:} upstream. */
  public static Path layoutDir(UpstreamConfig u) {
    return ImageRef.parse(u.reference()).path();
  }

  /**
   * The services a layout upstream holds, from its index.json names {@code [HOST/]REPOSITORY:TAG}
   * or {@code NAME:TAG} with the upstream's tag, filtered like a registry catalog. Blocking.
   */
  public static List<String> discover(UpstreamConfig u, String osVersion, ImagesConfig images) {
    return ImageCatalog.fromRepositories(layoutRepositories(u, osVersion), u.namespaceFor(osVersion),
        u.namePrefix(), images);
  }

  /**
   * The repository names of a layout upstream's images tagged with the upstream's tag, from
   * index.json names {@code [HOST/]REPOSITORY:TAG} or {@code NAME:TAG}. Blocking.
   */
  public static List<String> layoutRepositories(UpstreamConfig u, String osVersion) {
    Path dir = layoutDir(u);
    List<String> repositories = new ArrayList<>();
    try {
      for (Descriptor d : OciLayout.open(dir).readIndex().manifests()) {
        String name = d.annotations().get(OciLayout.REF_NAME);
        if (name == null || !name.endsWith(":" + u.tag())) {
          continue;
        }
        String repo = name.substring(0, name.length() - u.tag().length() - 1);
        int slash = repo.indexOf('/');
        String first = slash < 0 ? "" : repo.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          repo = repo.substring(slash + 1);
        }
        repositories.add(slash < 0 ? u.namespaceFor(osVersion) + "/" + repo : repo);
      }
    } catch (RuntimeException e) {
      throw new FetchException("cannot list the images of the OCI layout " + dir + ": "
          + Causes.describe(e) + "; check upstream in refit.yaml, or list the images under images.names", e);
    }
    return repositories;
  }

  /** {@code docker://HOST/NAMESPACE} as registry + namespace (no host means docker.io). */
  static UpstreamConfig registryForm(UpstreamConfig u) {
    String rest = u.reference().substring(DOCKER.length());
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    // distribution/reference: the first component is a host when it has a '.' or ':' or is localhost.
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return new UpstreamConfig(UpstreamConfig.Kind.REGISTRY, null,
        host ? first : UpstreamConfig.DEFAULT_REGISTRY, host ? rest.substring(slash + 1) : rest,
        u.namePrefix(), u.tag());
  }

  private static UpstreamConfig absoluteLayout(UpstreamConfig u, Path refitYaml) {
    Path dir = layoutDir(u);
    Path base = refitYaml == null || refitYaml.toAbsolutePath().getParent() == null
        ? Path.of("").toAbsolutePath() : refitYaml.toAbsolutePath().getParent();
    return new UpstreamConfig(u.kind(), "oci:" + base.resolve(dir).normalize(), u.registry(),
        u.namespace(), u.namePrefix(), u.tag());
  }
}
