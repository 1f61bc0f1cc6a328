package dev.refit.settings.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The undercloud and overcloud patch lists of one file (or of the merged result), in the order
 * written. Immutable and thread-safe.
 */
public record PatchLists(List<PatchSpec> undercloud, List<PatchSpec> overcloud) {

  public PatchLists {
    undercloud = List.copyOf(undercloud);
    overcloud = List.copyOf(overcloud);
  }

  public static PatchLists empty() {
    return new PatchLists(List.of(), List.of());
  }

  public List<PatchSpec> get(Target target) {
    return target == Target.UNDERCLOUD ? undercloud : overcloud;
  }

  /** All patches, undercloud first. */
  public List<PatchSpec> all() {
    List<PatchSpec> out = new ArrayList<>(undercloud);
    out.addAll(overcloud);
    return List.copyOf(out);
  }

  public boolean isEmpty() {
    return undercloud.isEmpty() && overcloud.isEmpty();
  }
}
