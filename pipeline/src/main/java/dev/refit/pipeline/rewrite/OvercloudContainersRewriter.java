package dev.refit.pipeline.rewrite;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Rewrites {@code overcloud_containers.yaml} (the {@code openstack overcloud container image
 * upload} input): each {@code container_images:} entry's {@code imagename} points at the local
 * registry; {@code push_destination} (where the undercloud re-pushes) is left alone unless the
 * mapping names a new one. Stateless; thread-safe.
 */
final class OvercloudContainersRewriter {

  private OvercloudContainersRewriter() {
  }

  static boolean matches(Node root) {
    for (Node entry : YamlSource.items(YamlSource.get(root, "container_images"))) {
      if (YamlSource.get(entry, "imagename") != null) {
        return true;
      }
    }
    return false;
  }

  static Plan plan(YamlSource src, ImageMapping mapping) {
    Plan plan = new Plan();
    int i = 0;
    for (Node entry : YamlSource.items(YamlSource.get(src.root(), "container_images"))) {
      String where = "container_images[" + i++ + "]";
      Node image = YamlSource.get(entry, "imagename");
      if (image != null) {
        YamlRefs.mapRef(src, image, where + ".imagename", mapping, plan);
      }
      Node push = YamlSource.get(entry, "push_destination");
      if (mapping.pushDestination() != null && push instanceof ScalarNode p
          && !p.getValue().equals(mapping.pushDestination())) {
        plan.add(src.replace(p, mapping.pushDestination()), new Change(YamlSource.line(p),
            where + ".push_destination", p.getValue(), mapping.pushDestination()));
      }
    }
    return plan;
  }
}
