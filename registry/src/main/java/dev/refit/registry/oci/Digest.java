package dev.refit.registry.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}, restricted to the algorithms the OCI image spec
 * registers (sha256, sha512). Immutable and thread-safe.
 *
 * <p>See OCI image-spec, descriptor.md "Digests": the encoded part is lowercase hex of the
 * algorithm's exact length.
 */
public final class Digest implements Comparable<Digest> {

  /** The registered algorithms, with the hex length each one produces. */
  public enum Algorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jcaName;
    private final int hexLength;

    Algorithm(String id, String jcaName, int hexLength) {
      this.id = id;
      this.jcaName = jcaName;
      this.hexLength = hexLength;
    }

    public String id() {
      return id;
    }

    /** A fresh hasher for this algorithm; callers feed it while streaming. */
    public MessageDigest newHasher() {
      try {
        return MessageDigest.getInstance(jcaName);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("JVM lacks " + jcaName, e);
      }
    }

    public static Algorithm of(String id) {
      for (Algorithm a : values()) {
        if (a.id.equals(id)) {
          return a;
        }
      }
      throw new InvalidDigestException(
          "unsupported digest algorithm '" + id + "': refit accepts sha256 and sha512");
    }
  }

  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  private final Algorithm algorithm;
  private final String hex;

  private Digest(Algorithm algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; anything else is rejected. */
  public static Digest parse(String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidDigestException("empty digest: expected algorithm:hex, e.g. sha256:<64 hex>");
    }
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new InvalidDigestException(
          "malformed digest '" + abbreviate(value) + "': expected algorithm:hex, e.g. sha256:<64 hex>");
    }
    Algorithm algorithm = Algorithm.of(value.substring(0, colon));
    return of(algorithm, value.substring(colon + 1));
  }

  public static Digest of(Algorithm algorithm, String hex) {
    if (hex.length() != algorithm.hexLength || !HEX.matcher(hex).matches()) {
      throw new InvalidDigestException(
          "malformed " + algorithm.id + " digest: expected " + algorithm.hexLength
              + " lowercase hex characters, got '" + abbreviate(hex) + "'");
    }
    return new Digest(algorithm, hex);
  }

  /** Wraps a finished hasher's output. */
  public static Digest of(Algorithm algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  public static Digest sha256(byte[] bytes) {
    return compute(Algorithm.SHA256, bytes);
  }

  public static Digest compute(Algorithm algorithm, byte[] bytes) {
    return of(algorithm, algorithm.newHasher().digest(bytes));
  }

  /** True when {@code value} parses; for validation without exceptions on hot paths. */
  public static boolean isValid(String value) {
    try {
      parse(value);
      return true;
    } catch (InvalidDigestException e) {
      return false;
    }
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public String hex() {
    return hex;
  }

  @Override
  public String toString() {
    return algorithm.id + ":" + hex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, hex);
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
