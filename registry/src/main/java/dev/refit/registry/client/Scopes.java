package dev.refit.registry.client;

/** Token scope strings (distribution token-scope grammar, "resource type:name:actions"). Stateless. */
final class Scopes {
  private Scopes() {}

  static String pull(String repo) {
    return "repository:" + repo + ":pull";
  }

  static String push(String repo) {
    return "repository:" + repo + ":pull,push";
  }

  static String catalog() {
    return "registry:catalog:*";
  }
}
