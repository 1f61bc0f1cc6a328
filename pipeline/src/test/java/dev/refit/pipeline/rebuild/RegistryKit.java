package dev.refit.pipeline.rebuild;

import dev.refit.registry.io.FileTrees;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test kit as a JUnit extension ({@code @RegisterExtension}): a {@link TestBase} on its own
 * in-process registry (port 0) for each test, in a temp dir removed afterwards.
 */
final class RegistryKit implements BeforeEachCallback, AfterEachCallback {
  private Path dir;
  private TestBase base;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("refit-kit");
    base = TestBase.started(dir);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      base.close();
    } finally {
      FileTrees.delete(dir);
    }
  }

  TestBase base() {
    return base;
  }

  InProcessRegistry registry() {
    return base.registry();
  }
}
