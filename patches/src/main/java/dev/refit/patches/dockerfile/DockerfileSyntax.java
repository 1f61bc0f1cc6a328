package dev.refit.patches.dockerfile;

import java.util.regex.Pattern;

/**
 * Quoting for the few Dockerfile contexts refit writes values into: COPY/ADD JSON arguments,
 * LABEL values, shell words of RUN, and USER. Stateless and thread-safe.
 *
 * <p>Dockerfile reference, "Environment replacement": COPY, ADD, LABEL and USER arguments pass
 * through the builder's shell-like lexer (also in the JSON form), where backslash escapes the
 * next character and {@code $}, quotes and backslash are special. RUN in shell form goes to
 * {@code /bin/sh} unchanged, so its words use POSIX single quotes.
 */
final class DockerfileSyntax {

  // Characters Docker's COPY reads as a glob pattern in sources ("COPY" in the reference: Go's
  // filepath.Match rules); refit's paths are literal, and escaping them differs by builder.
  private static final String GLOB = "*?[\\";
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(?::[A-Za-z0-9_][A-Za-z0-9._-]*)?");

  private DockerfileSyntax() {}

  /**
   * Refuses a path that a Dockerfile line cannot carry literally: control characters (a newline
   * would end the instruction) and glob characters.
   */
  static void checkCopyPath(String service, String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isISOControl(c)) {
        throw new DockerfileException("image " + service + ": path '" + printable(path)
            + "' contains a control character, which a Dockerfile line cannot carry;"
            + " use the daemonless builder for such files");
      }
      if (GLOB.indexOf(c) >= 0) {
        throw new DockerfileException("image " + service + ": path '" + path + "' contains '" + c
            + "', which Docker's COPY reads as a wildcard; use the daemonless builder for such files");
      }
    }
  }

  /** One element of a JSON-form COPY/ADD: lexer-escaped, then JSON-quoted. */
  static String jsonWord(String value) {
    StringBuilder lexed = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '$' || c == '\'' || c == '"' || c == '`' || Character.isWhitespace(c)) {
        lexed.append('\\');
      }
      lexed.append(c);
    }
    StringBuilder json = new StringBuilder(lexed.length() + 2).append('"');
    for (int i = 0; i < lexed.length(); i++) {
      char c = lexed.charAt(i);
      if (c == '\\' || c == '"') {
        json.append('\\');
      }
      json.append(c);
    }
    return json.append('"').toString();
  }

  /** A LABEL value in double quotes; control characters are refused. */
  static String labelValue(String service, String what, String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new DockerfileException("image " + service + ": " + what + " '" + printable(value)
            + "' contains a control character, which a LABEL cannot carry; use a single-line value");
      }
      if (c == '\\' || c == '"' || c == '$') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** A POSIX shell word in single quotes ({@code '} becomes {@code '\''}). */
  static String shellWord(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Validates a USER value: a name or numeric id, optionally {@code :group}. */
  static String user(String service, String user) {
    if (!USER.matcher(user).matches()) {
      throw new DockerfileException("image " + service + ": original user '" + printable(user)
          + "' is not a user name or uid (optionally :group) that a USER line can carry");
    }
    return user;
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
