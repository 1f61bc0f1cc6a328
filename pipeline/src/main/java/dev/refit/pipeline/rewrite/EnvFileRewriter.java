package dev.refit.pipeline.rewrite;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Rewrites a TripleO/Apex heat environment file: every {@code Docker*Image} (Queens/Rocky) and
 * {@code Container*Image} (Stein and later) parameter under {@code parameter_defaults} or
 * {@code parameters}. Apex matched only {@code Docker} names with a regex on raw text; here keys
 * are read from the parsed mapping. Stateless; thread-safe.
 */
final class EnvFileRewriter {

  private static final String[] SECTIONS = {"parameter_defaults", "parameters"};

  private EnvFileRewriter() {
  }

  /** True when the document has at least one image parameter. */
  static boolean matches(Node root) {
    for (String section : SECTIONS) {
      for (NodeTuple t : YamlSource.tuples(YamlSource.get(root, section))) {
        if (isImageKey(YamlSource.scalar(t.getKeyNode()))) {
          return true;
        }
      }
    }
    return false;
  }

  static Plan plan(YamlSource src, ImageMapping mapping) {
    Plan plan = new Plan();
    for (String section : SECTIONS) {
      for (NodeTuple t : YamlSource.tuples(YamlSource.get(src.root(), section))) {
        String key = YamlSource.scalar(t.getKeyNode());
        if (isImageKey(key)) {
          YamlRefs.mapRef(src, t.getValueNode(), key, mapping, plan);
        }
      }
    }
    return plan;
  }

  /**
   * {@code Docker<Name>Image} or {@code Container<Name>Image} with a non-empty name, e.g.
   * DockerNovaApiImage, ContainerNovaApiImage (tripleo-heat-templates parameter names).
   */
  static boolean isImageKey(String key) {
    if (key == null || !key.endsWith("Image")) {
      return false;
    }
    String prefix = key.startsWith("Docker") ? "Docker" : key.startsWith("Container") ? "Container" : null;
    if (prefix == null || key.length() <= prefix.length() + "Image".length()) {
      return false;
    }
    String name = key.substring(prefix.length(), key.length() - "Image".length());
    return Character.isUpperCase(name.charAt(0)) && name.chars().allMatch(Character::isLetterOrDigit);
  }
}
