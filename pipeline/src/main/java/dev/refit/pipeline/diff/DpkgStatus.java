package dev.refit.pipeline.diff;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the installed packages of a Debian package database ({@code /var/lib/dpkg/status}:
 * deb822 stanzas, Debian Policy 5.1) and compares two of them. A stanza counts when its
 * {@code Status} ends in {@code installed}; {@code Architecture} other than {@code all} or empty
 * is kept in the name ({@code libc6:amd64}) only when one name is installed for several. Streams
 * line by line; stateless.
 */
final class DpkgStatus {
  private DpkgStatus() {}

  /** Installed package → version; closes {@code in}. */
  static Map<String, String> installed(InputStream in) {
    Map<String, List<String[]>> byName = new TreeMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String pkg = null;
      String version = null;
      String status = null;
      String arch = null;
      for (String line = r.readLine(); ; line = r.readLine()) {
        if (line == null || line.isBlank()) {
          if (pkg != null && version != null && status != null && status.endsWith(" installed")) {
            byName.computeIfAbsent(pkg, k -> new ArrayList<>()).add(new String[] {arch, version});
          }
          pkg = version = status = arch = null;
          if (line == null) {
            break;
          }
          continue;
        }
        if (line.startsWith(" ") || line.startsWith("\t")) {
          continue; // a continuation line of a multi-line field
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String field = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        switch (field.toLowerCase(java.util.Locale.ROOT)) {
          case "package" -> pkg = value;
          case "version" -> version = value;
          case "status" -> status = value;
          case "architecture" -> arch = value;
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dpkg status database", e);
    }
    Map<String, String> out = new TreeMap<>();
    byName.forEach((name, found) -> {
      for (String[] f : found) {
        out.put(found.size() > 1 && f[0] != null ? name + ":" + f[0] : name, f[1]);
      }
    });
    return out;
  }

  /** Packages added, removed or changed in version from {@code a} to {@code b}, by name. */
  static List<PackageDiff> compare(InputStream a, InputStream b) {
    Map<String, String> pa = installed(a);
    Map<String, String> pb = installed(b);
    TreeSet<String> names = new TreeSet<>(pa.keySet());
    names.addAll(pb.keySet());
    List<PackageDiff> out = new ArrayList<>();
    for (String name : names) {
      String va = pa.get(name);
      String vb = pb.get(name);
      if (va == null) {
        out.add(new PackageDiff("dpkg", name, Change.ADDED, null, vb));
      } else if (vb == null) {
        out.add(new PackageDiff("dpkg", name, Change.REMOVED, va, null));
      } else if (!va.equals(vb)) {
        out.add(new PackageDiff("dpkg", name, Change.CHANGED, va, vb));
      }
    }
    return out;
  }
}
