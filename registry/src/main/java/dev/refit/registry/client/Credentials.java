package dev.refit.registry.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A registry user name and password (or token). Immutable; {@link #toString} hides the secret. */
public record Credentials(String username, String password) {

  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  public static Credentials of(String username, String password) {
    return new Credentials(username, password);
  }

  /** The value of an {@code Authorization} header for HTTP Basic (RFC 7617). */
  public String basicAuthorization() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
