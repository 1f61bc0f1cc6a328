package dev.refit.patches.mapping;

import dev.refit.patches.mapping.Plan.PatchPlan;
import dev.refit.patches.mapping.Plan.Skip;
import dev.refit.patches.mapping.Plan.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The human-readable form of a {@link Plan} for {@code refit plan --output table}: one row per
 * patch and image, targets first, then skips, then the warnings. Stateless; thread-safe.
 */
public final class PlanTable {
  private static final String[] HEADER = {"PATCH", "PROJECT", "IMAGE", "ACTION", "PATH", "WHY"};

  private PlanTable() {}

  public static String write(Plan plan) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (PatchPlan p : plan.patches()) {
      String id = p.id() + (p.status() == null ? "" : " (" + p.status() + ")");
      for (Target t : p.targets()) {
        rows.add(new String[] {id, p.project(), t.image(), "patch", "/" + t.path(), t.reason()});
      }
      for (Skip s : p.skipped()) {
        rows.add(new String[] {id, p.project(), s.image() == null ? "-" : s.image(),
            "skip " + s.reason().name().toLowerCase(java.util.Locale.ROOT), "-", s.detail()});
      }
    }
    int[] widths = new int[HEADER.length - 1];
    for (String[] r : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < widths.length; i++) {
        out.append(String.format("%-" + widths[i] + "s  ", r[i]));
      }
      out.append(r[r.length - 1]).append('\n');
    }
    for (String w : plan.warnings()) {
      out.append("warning: ").append(w).append('\n');
    }
    return out.toString();
  }
}
