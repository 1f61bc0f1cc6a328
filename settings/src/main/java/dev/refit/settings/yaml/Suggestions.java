package dev.refit.settings.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known word closest to a misspelt one for "did you mean" hints, by optimal string
 * alignment distance (Damerau-Levenshtein where a transposition counts as one edit). Stateless
 * and thread-safe.
 */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate nearest to {@code word}, if it is near enough to be a plausible typo: at most
   * one edit for short words, and at most a third of the word's length otherwise. Comparison
   * ignores case and treats '-' and '_' alike, the commonest slips in YAML keys.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String normalised = normalise(word);
    int limit = Math.max(1, normalised.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(normalised, normalise(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Optimal string alignment distance between {@code a} and {@code b}. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[a.length()][b.length()];
  }

  private static String normalise(String word) {
    return word.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
