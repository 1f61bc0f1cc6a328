package dev.refit.patches.image;

import dev.refit.registry.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/** Opens a layer blob's (possibly compressed) bytes, verified against its digest. Blocking. */
public interface LayerReader {
  /** The blob's bytes; the caller closes the stream. */
  InputStream open(Descriptor layer) throws IOException;
}
