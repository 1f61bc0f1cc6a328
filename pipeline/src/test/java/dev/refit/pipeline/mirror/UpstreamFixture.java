package dev.refit.pipeline.mirror;

import dev.refit.registry.io.FileTrees;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test kit for mirrors and bundles, as a JUnit extension started before each test and closed
 * after it: a Vert.x, an in-process upstream registry whose store {@link UpstreamImages} writes,
 * and sync files naming its images. Blocking; one per test class instance.
 */
public final class UpstreamFixture implements BeforeEachCallback, AfterEachCallback {
  public Vertx vertx;
  public InProcessRegistry upstream;
  public UpstreamImages images;
  private Path dir;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("refit-upstream-test-");
    vertx = Vertx.vertx();
    upstream = InProcessRegistry.start(dir.resolve("upstream"));
    images = new UpstreamImages(upstream.store());
  }

  /** A sync file taking {@code entries} (e.g. {@code "ceph/ceph: [v18]"}) from the upstream. */
  public Path sync(String... entries) throws IOException {
    return syncFrom(upstream.hostPort(), entries);
  }

  /** A sync file taking {@code entries} from {@code host} (e.g. a proxy in front of the upstream). */
  public Path syncFrom(String host, String... entries) throws IOException {
    StringBuilder yaml = new StringBuilder(host + ":\n  images:\n");
    for (String entry : entries) {
      yaml.append("    ").append(entry).append('\n');
    }
    return Files.writeString(dir.resolve("sync-" + System.nanoTime() + ".yaml"), yaml);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    FileTrees.delete(dir);
  }
}
