package dev.refit.pipeline.rewrite;

import java.nio.file.Path;
import java.util.List;

/**
 * Rewrites cephadm image settings in a shell commands file: the words after {@code ceph config set}
 * are {@code mgr mgr/cephadm/container_image_<name> <ref>} (or {@code global container_image <ref>},
 * the cluster-wide default image). Commands may be prefixed ({@code sudo}, {@code cephadm shell --})
 * and use shell quoting; only the reference word's characters are replaced, in its quoting style.
 * Stateless; thread-safe.
 */
final class CephadmCommandsRewriter {

  static final String MGR_KEY_PREFIX = "mgr/cephadm/container_image_";

  private CephadmCommandsRewriter() {
  }

  /** The reference word of a cephadm image setting in {@code command}, or -1. */
  static int refIndex(ShellWords.Command command) {
    List<ShellWords.Word> w = command.words();
    for (int i = 0; i + 5 < w.size(); i++) {
      if (w.get(i).value().equals("ceph") && w.get(i + 1).value().equals("config")
          && w.get(i + 2).value().equals("set") && isImageKey(w.get(i + 3).value(), w.get(i + 4).value())) {
        return i + 5;
      }
    }
    return -1;
  }

  private static boolean isImageKey(String who, String key) {
    return who.equals("mgr") && key.startsWith(MGR_KEY_PREFIX) && key.length() > MGR_KEY_PREFIX.length()
        || who.equals("global") && key.equals("container_image");
  }

  static boolean matches(List<ShellWords.Command> commands) {
    return commands.stream().anyMatch(c -> refIndex(c) >= 0);
  }

  static Plan plan(Path file, List<ShellWords.Command> commands, ImageMapping mapping) {
    Plan plan = new Plan();
    for (ShellWords.Command c : commands) {
      int idx = refIndex(c);
      if (idx < 0) {
        continue;
      }
      ShellWords.Word ref = c.words().get(idx);
      String key = c.words().get(idx - 1).value();
      if (ref.dynamic()) {
        throw new RewriteException(file, c.line(), 0, key + " is set from a shell expansion ('"
            + ref.value() + "'); refit rewrites literal references only: write the reference out", null);
      }
      String target = TargetRefs.target(file, c.line(), 0, key, ref.value(), mapping);
      if (!target.equals(ref.value())) {
        plan.add(new Edit(ref.start(), ref.end(), ShellWords.render(target, ref.quote())),
            new Change(c.line(), key, ref.value(), target));
      }
    }
    return plan;
  }
}
