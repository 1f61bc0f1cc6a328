package dev.refit.registry.client;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code rel="next"} target of an RFC 8288 {@code Link} header, which registries use to
 * paginate tag lists and the catalog (distribution-spec "Listing Tags", "pagination"). Stateless.
 */
final class LinkHeader {
  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
  private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

  private LinkHeader() {}

  static Optional<String> next(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = LINK.matcher(header);
    while (m.find()) {
      Matcher rel = REL_NEXT.matcher(m.group(2));
      while (rel.find()) {
        for (String r : rel.group(1).trim().split("\\s+")) {
          if (r.equalsIgnoreCase("next")) {
            return Optional.of(m.group(1));
          }
        }
      }
    }
    return Optional.empty();
  }
}
