package dev.refit.pipeline.rebuild;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which platforms of a multi-arch base a rebuild patches, and what happens to the others, read
 * from the request's builder options (so the choice is part of the build key). Immutable and
 * thread-safe.
 *
 * <p>Options: {@value #PLATFORMS} = comma-separated {@code os/arch[/variant]} (absent: every
 * platform the index lists); {@value #UNREQUESTED} = {@code keep} (copied into the new index as
 * they are, unpatched) or {@code drop} (the default). Entries without a real platform, such as
 * attestation manifests ({@code unknown/unknown}), are never patched.
 *
 * @param requested platforms to patch; empty means all
 * @param keepOthers whether unrequested entries stay in the new index
 */
public record PlatformChoice(List<Platform> requested, boolean keepOthers) {

  public static final String PLATFORMS = "platforms";
  public static final String UNREQUESTED = "platforms.unrequested";

  public PlatformChoice {
    requested = List.copyOf(requested);
  }

  /** The choice in {@code options}; a malformed value is an {@link IllegalArgumentException}. */
  public static PlatformChoice from(Map<String, String> options) {
    List<Platform> wanted = new ArrayList<>();
    String list = options.get(PLATFORMS);
    if (list != null && !list.isBlank()) {
      for (String p : list.split(",")) {
        wanted.add(Platform.parse(p.strip()));
      }
    }
    String others = options.getOrDefault(UNREQUESTED, "drop");
    if (!others.equals("keep") && !others.equals("drop")) {
      throw new IllegalArgumentException("builder option " + UNREQUESTED + "='" + others
          + "' is not valid: use keep or drop");
    }
    return new PlatformChoice(wanted, others.equals("keep"));
  }

  /** Whether the index entry {@code d} is patched. */
  public boolean patches(Descriptor d) {
    Platform p = d.platform();
    if (p == null || p.os().equals("unknown") || p.architecture().equals("unknown")) {
      return false;
    }
    return requested.isEmpty() || requested.stream().anyMatch(r -> r.matches(p));
  }

  /** {@code keep} or {@code drop}, as recorded in the index annotations. */
  public String unrequestedPolicy() {
    return keepOthers ? "keep" : "drop";
  }
}
