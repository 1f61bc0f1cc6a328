package dev.refit.pipeline.mirror;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import dev.refit.settings.sync.SyncRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a sync file's registries into the images of a run, as skopeo sync selects them: listed
 * tags and digests, every tag for an empty list, tags matching {@code images-by-tag-regex}
 * (searched, not anchored, like Go's {@code MatchString}); then refit's {@code retag} renames
 * destination tags and {@code assemble} adds index tags. Tag lists are read once per repository.
 * Event-loop safe: returns Futures.
 */
public final class MirrorPlanner {
  private final UnaryOperator<String> destRepository;
  private final DestinationNaming naming;
  private final Set<Platform> platformOverride;
  private final Function<SyncRegistry, RegistryClient> clients;

  /**
   * @param destRepository the repository an image lands in, given its name below the destination
   * @param clients the client for a sync file's registry, shared by the run
   */
  public MirrorPlanner(UnaryOperator<String> destRepository, DestinationNaming naming, Set<Platform> platformOverride,
      Function<SyncRegistry, RegistryClient> clients) {
    this.destRepository = destRepository;
    this.naming = naming;
    this.platformOverride = Set.copyOf(platformOverride);
    this.clients = clients;
  }

  public Future<List<MirrorItem>> plan(List<SyncRegistry> registries) {
    List<Future<List<MirrorItem>>> parts = new ArrayList<>();
    for (SyncRegistry registry : registries) {
      Set<Platform> platforms = platformOverride.isEmpty()
          ? Set.copyOf(registry.platforms().stream().map(Platform::parse).toList()) : platformOverride;
      for (Map.Entry<String, List<String>> image : registry.images().entrySet()) {
        SourceRepo source = source(registry, image.getKey());
        Future<List<String>> refs = image.getValue().isEmpty() ? source.tags()
            : Future.succeededFuture(image.getValue());
        parts.add(refs.map(list -> items(registry, image.getKey(), source, list, platforms)));
      }
      for (Map.Entry<String, Pattern> image : registry.tagRegex().entrySet()) {
        SourceRepo source = source(registry, image.getKey());
        parts.add(source.tags().map(tags -> items(registry, image.getKey(), source,
            tags.stream().filter(t -> image.getValue().matcher(t).find()).toList(), platforms)));
      }
      for (Map.Entry<String, Map<String, List<String>>> image : registry.assemble().entrySet()) {
        SourceRepo source = source(registry, image.getKey());
        String dest = destName(source);
        List<MirrorItem> items = new ArrayList<>();
        image.getValue().forEach((tag, from) -> items.add(MirrorItem.assemble(source, tag, from, dest)));
        parts.add(Future.succeededFuture(items));
      }
    }
    return Future.all(parts).map(all -> {
      Map<String, MirrorItem> unique = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        all.<List<MirrorItem>>resultAt(i).forEach(item -> unique.putIfAbsent(item.describeSource()
            + " -> " + item.destRepository() + ":" + item.destRef(), item));
      }
      return List.copyOf(unique.values());
    });
  }

  /** {@code refit mirror SRC-REF...}: a tag or digest, or every tag when the reference has none. */
  Future<List<MirrorItem>> plan(SourceRepo source, String ref, Set<Platform> platforms) {
    Future<List<String>> refs = ref == null ? source.tags() : Future.succeededFuture(List.of(ref));
    return refs.map(list -> list.stream().map(r -> {
      // An OCI layout's ref name may carry a repository, as refit writes them: repo:tag.
      int colon = r.lastIndexOf(':');
      if (source.registry().isEmpty() && colon > 0 && !Digest.isValid(r)) {
        return MirrorItem.copy(source, r, destName(null, r.substring(0, colon)), r.substring(colon + 1), platforms);
      }
      return MirrorItem.copy(source, r, destName(source), r, platforms);
    }).toList());
  }

  private List<MirrorItem> items(SyncRegistry registry, String name, SourceRepo source, List<String> refs,
      Set<Platform> platforms) {
    String dest = destName(source);
    return refs.stream().map(r -> MirrorItem.copy(source, r, dest, registry.retagged(name, r), platforms)).toList();
  }

  private SourceRepo source(SyncRegistry registry, String name) {
    return SourceRepo.registry(clients.apply(registry), registry.repository(name));
  }

  private String destName(SourceRepo source) {
    return destName(source.registry().orElse(null), source.repository());
  }

  private String destName(String registry, String repository) {
    return destRepository.apply(naming.name(registry, repository));
  }
}
