package dev.refit.settings.sync;

/** A registry's {@code credentials} in a sync file. Immutable; the password is never printed. */
public record SyncCredentials(String username, String password) {

  @Override
  public String toString() {
    return "SyncCredentials[username=" + username + ", password=***]";
  }
}
