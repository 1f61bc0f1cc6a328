package dev.refit.registry.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: its scheme and parameters. Immutable.
 *
 * <p>RFC 7235 section 4.1 grammar, as used by the distribution token spec
 * ({@code Bearer realm="https://auth/token",service="registry",scope="repository:a:pull"}).
 * Only the first challenge of a header is read; registries send one.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

  public AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public static AuthChallenge parse(String header) {
    if (header == null || header.isBlank()) {
      throw new IllegalArgumentException("empty WWW-Authenticate header");
    }
    String h = header.trim();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? h.length() : space + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < h.length()) {
            i++;
          }
          value.append(h.charAt(i++));
        }
        i++;
      } else {
        while (i < h.length() && h.charAt(i) != ',') {
          value.append(h.charAt(i++));
        }
      }
      if (name.contains(" ")) {
        break; // a second challenge starts here; only the first is used
      }
      params.put(name, value.toString().trim());
    }
    return new AuthChallenge(scheme, params);
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  public String realm() {
    return params.get("realm");
  }

  public String service() {
    return params.get("service");
  }

  /** The scope the registry asks for, or null; may hold several space-separated scopes. */
  public String scope() {
    return params.get("scope");
  }
}
