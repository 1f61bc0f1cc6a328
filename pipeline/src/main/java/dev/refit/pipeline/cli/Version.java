package dev.refit.pipeline.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports refit's version from the jar manifest (falls back to "dev" when run from classes). */
public final class Version implements IVersionProvider {
  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"refit " + current()};
  }
}
