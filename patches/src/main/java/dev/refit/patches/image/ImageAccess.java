package dev.refit.patches.image;

import dev.refit.patches.fs.FileSource;
import java.time.Instant;
import java.util.Optional;

/** How the planner reads the images it places patches in, by service name. Blocking. */
public interface ImageAccess {
  /** When the image was built, if known (config {@code created} or label {@code build-date}). */
  Optional<Instant> buildTime(String image);

  /** A filesystem view of the image, resolving {@code request} in one top-down pass. */
  FileSource files(String image, PathRequest request);
}
