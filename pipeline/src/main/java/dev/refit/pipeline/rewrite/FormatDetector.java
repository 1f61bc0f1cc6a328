package dev.refit.pipeline.rewrite;

import dev.refit.error.Causes;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Tells which image-list format a file is by its content, never its name: the YAML shapes first,
 * then ceph conf sections and cephadm commands. Stateless; thread-safe.
 */
final class FormatDetector {

  static final String EXPECTED = "expected one of: a TripleO env file (parameter_defaults with"
      + " Docker*Image or Container*Image keys), overcloud_containers.yaml (container_images: entries"
      + " with imagename), containers-prepare-parameter.yaml (parameter_defaults.ContainerImagePrepare),"
      + " cephadm commands (ceph config set mgr mgr/cephadm/container_image_<name> <ref>) or a cephadm"
      + " assimilate-conf file ([mgr] mgr/cephadm/container_image_<name> = <ref>)";

  private FormatDetector() {
  }

  static Format detect(Path file, String text) {
    // YAML first: a heat environment may carry cephadm commands inside a script parameter
    RewriteException yamlError = null;
    try {
      Format f = yamlFormat(YamlSource.parse(file, text).root());
      if (f != null) {
        return f;
      }
    } catch (RewriteException e) {
      yamlError = e;
    }
    if (CephadmConfRewriter.matches(text)) {
      return Format.CEPHADM_CONF;
    }
    List<ShellWords.Command> commands = commands(text);
    if (commands != null && CephadmCommandsRewriter.matches(commands)) {
      return Format.CEPHADM_COMMANDS;
    }
    if (yamlError == null) {
      throw new RewriteException(file, "unknown image-list format: " + EXPECTED, null);
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      throw yamlError;
    }
    throw new RewriteException(file, yamlError.line(), yamlError.column(), "unknown image-list format (and"
        + " not valid YAML: " + Causes.describe(yamlError.getCause()).lines().findFirst().orElse("") + "); "
        + EXPECTED, yamlError);
  }

  /** The YAML format of a document, or null. */
  static Format yamlFormat(Node root) {
    if (!(root instanceof MappingNode)) {
      return null;
    }
    if (PrepareRewriter.matches(root)) {
      return Format.CONTAINER_IMAGE_PREPARE;
    }
    if (OvercloudContainersRewriter.matches(root)) {
      return Format.OVERCLOUD_CONTAINERS;
    }
    if (EnvFileRewriter.matches(root)) {
      return Format.TRIPLEO_ENV;
    }
    return null;
  }

  /** The shell commands of {@code text}, or null when it does not even tokenize as shell. */
  static List<ShellWords.Command> commands(String text) {
    try {
      return ShellWords.parse(text);
    } catch (ShellWords.UnterminatedQuoteException e) {
      return null;
    }
  }
}
