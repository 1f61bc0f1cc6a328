package dev.refit.settings.deploy;

import dev.refit.settings.Location;
import dev.refit.settings.SettingsException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A common patches file ({@code -p}, or {@code common-patches.yaml} beside the deploy settings):
 * patch lists per os_version. Immutable and thread-safe.
 *
 * @param patchesLocation where the {@code patches:} key is, for "no such os_version" errors
 */
public record CommonPatches(Path file, Map<String, PatchLists> byOsVersion,
    Location patchesLocation) {

  public CommonPatches {
    Objects.requireNonNull(file, "file");
    byOsVersion = Collections.unmodifiableMap(new LinkedHashMap<>(byOsVersion));
    Objects.requireNonNull(patchesLocation, "patchesLocation");
  }

  /**
   * The lists for {@code osVersion}. A missing key is an error, as in Apex: silently applying no
   * common patches would deploy without fixes the operator relies on.
   *
   * @param requestedAt where os_version was set (or the deploy settings file), for the message
   */
  public PatchLists forOsVersion(String osVersion, Location requestedAt) {
    PatchLists lists = byOsVersion.get(osVersion);
    if (lists == null) {
      throw new SettingsException(
          patchesLocation,
          "no entry for os_version '" + osVersion + "' under 'patches' (os_version set at "
              + requestedAt + "); available: " + String.join(", ", byOsVersion.keySet()),
          "add '" + osVersion + ":' with undercloud/overcloud lists under 'patches:', or pass "
              + "another common patches file with -p");
    }
    return lists;
  }
}
