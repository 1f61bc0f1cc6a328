package dev.refit.pipeline.rewrite;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Maps one image-reference scalar of a YAML file through an {@link ImageMapping}. Stateless; thread-safe. */
final class YamlRefs {

  private YamlRefs() {
  }

  /** Plans the replacement of {@code value} (an image reference under {@code key}) when it changes. */
  static void mapRef(YamlSource src, Node value, String key, ImageMapping mapping, Plan plan) {
    if (!(value instanceof ScalarNode scalar)) {
      throw new RewriteException(src.file(), YamlSource.line(value), YamlSource.column(value) + 1,
          key + " must be an image reference string, found a " + value.getNodeId()
          + "; write it as key: registry/namespace/image:tag", null);
    }
    String old = scalar.getValue();
    if (old.isBlank()) {
      return; // an unset parameter: nothing points upstream, nothing to redirect
    }
    String target = TargetRefs.target(src.file(), YamlSource.line(value), YamlSource.column(value) + 1,
        key, old, mapping);
    if (!target.equals(old)) {
      plan.add(src.replace(scalar, target), new Change(YamlSource.line(value), key, old, target));
    }
  }
}
