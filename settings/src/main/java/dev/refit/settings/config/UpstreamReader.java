package dev.refit.settings.config;

import dev.refit.error.Causes;
import dev.refit.settings.SettingsException;
import dev.refit.settings.yaml.MapReader;
import dev.refit.settings.yaml.YamlMap;
import dev.refit.settings.yaml.YamlNode;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code upstream} key of refit.yaml. Stateless and thread-safe. */
final class UpstreamReader {

  static final Set<String> KEYS = Set.of("registry", "namespace", "name_prefix", "tag", "ref");

  private UpstreamReader() {}

  static UpstreamConfig read(MapReader root) {
    Optional<YamlNode> node = root.node("upstream");
    if (node.isEmpty()) {
      return UpstreamConfig.defaults();
    }
    if (!(node.get() instanceof YamlMap)) {
      String ref = MapReader.text(node.get(), "upstream");
      return new UpstreamConfig(kind(root, "upstream", ref), ref,
          UpstreamConfig.DEFAULT_REGISTRY, null, UpstreamConfig.DEFAULT_NAME_PREFIX,
          UpstreamConfig.DEFAULT_TAG);
    }
    MapReader up = root.mapping("upstream").orElseThrow();
    up.allowOnly(KEYS);
    String registry = checked(up, "registry", UpstreamConfig.DEFAULT_REGISTRY,
        ReferenceSyntax.DOMAIN_PATTERN, "a registry host such as docker.io or quay.io:443");
    String namespace = checked(up, "namespace", null, ReferenceSyntax.NAMESPACE_PATTERN,
        "a lower-case namespace such as tripleoqueens");
    String prefix = checked(up, "name_prefix", UpstreamConfig.DEFAULT_NAME_PREFIX,
        ReferenceSyntax.NAME_PREFIX_PATTERN, "a lower-case prefix such as centos-binary-");
    String tag = checked(up, "tag", UpstreamConfig.DEFAULT_TAG, ReferenceSyntax.TAG_PATTERN,
        "a tag: letters, digits, '_', '.', '-', at most 128 characters");
    Optional<String> ref = up.string("ref");
    if (ref.isPresent()) {
      for (String exclusive : new String[] {"registry", "namespace"}) {
        if (up.has(exclusive)) {
          throw up.error(exclusive,
              "'upstream.ref' and 'upstream." + exclusive + "' cannot be combined",
              "either give a transport reference in 'ref', or registry/namespace");
        }
      }
      return new UpstreamConfig(kind(up, "ref", ref.get()), ref.get(), registry, null, prefix,
          tag);
    }
    return new UpstreamConfig(UpstreamConfig.Kind.REGISTRY, null, registry, namespace, prefix,
        tag);
  }

  private static UpstreamConfig.Kind kind(MapReader reader, String key, String ref) {
    try {
      return ReferenceSyntax.check(ref);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(reader.locationOf(key), "invalid upstream reference: "
          + Causes.describe(e), "write e.g. docker://quay.io/tripleomaster, oci:DIR[:REF], "
          + "oci-archive:FILE[:REF], or use the registry/namespace/name_prefix/tag mapping");
    }
  }

  private static String checked(MapReader reader, String key, String fallback, Pattern pattern,
      String expected) {
    Optional<String> value = reader.string(key);
    if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
      throw reader.error(key,
          "'" + reader.child(key) + "' is not valid: '" + value.get() + "'", "expected " + expected);
    }
    return value.orElse(fallback);
  }
}
