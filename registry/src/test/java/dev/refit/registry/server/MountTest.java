package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's {@link Mount} hook: its prefix goes to its handler, behind the same auth. */
class MountTest {
  @TempDir Path root;
  @TempDir Path work;

  /** Answers "mounted <path>" and counts the requests it saw. */
  private static final class EchoMount implements Mount {
    final AtomicInteger seen = new AtomicInteger();
    final AtomicReference<FsStore> opened = new AtomicReference<>();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public String prefix() {
      return "/ui";
    }

    @Override
    public Handler<HttpServerRequest> open(Vertx vertx, FsStore store) {
      opened.set(store);
      return request -> {
        seen.incrementAndGet();
        request.response().end("mounted " + request.path());
      };
    }

    @Override
    public Future<Void> close() {
      closed.set(true);
      return Future.succeededFuture();
    }
  }

  @Test
  void mount_ownsItsPrefix_andTheRegistryApiIsUntouched() throws Exception {
    EchoMount mount = new EchoMount();
    try (InProcessRegistry registry = InProcessRegistry.start(RegistryConfig.defaults(root), mount)) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());

      assertThat(body(http.get("/ui/"))).isEqualTo("mounted /ui/");
      assertThat(body(http.get("/ui/api/repositories"))).isEqualTo("mounted /ui/api/repositories");
      assertThat(body(http.get("/ui"))).isEqualTo("mounted /ui");
      assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
      assertError(http.get("/uix"), 404, "UNSUPPORTED");
      assertThat(mount.seen).hasValue(3);
      assertThat(mount.opened.get().root()).isEqualTo(registry.store().root());
    }
    assertThat(mount.closed).isTrue();
  }

  @Test
  void noMount_prefixIsNotFound() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      assertError(new RegistryHttp(registry.baseUrl()).get("/ui/"), 404, "UNSUPPORTED");
    }
  }

  @Test
  void htpasswd_mountNeedsTheSameCredentials() throws Exception {
    Path htpasswd = work.resolve("htpasswd");
    Files.writeString(htpasswd, "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToString(4, "s3cret".toCharArray()) + "\n");
    EchoMount mount = new EchoMount();
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(root).withHtpasswd(htpasswd), mount)) {
      RegistryHttp anonymous = new RegistryHttp(registry.baseUrl());

      HttpResponse<byte[]> denied = anonymous.get("/ui/api/repositories");
      assertError(denied, 401, "UNAUTHORIZED");
      assertError(anonymous.withBasicAuth("alice", "wrong").get("/ui/"), 401, "UNAUTHORIZED");
      assertThat(mount.seen).as("the handler never saw an unauthenticated request").hasValue(0);

      assertThat(body(anonymous.withBasicAuth("alice", "s3cret").get("/ui/"))).isEqualTo("mounted /ui/");
      assertThat(mount.seen).hasValue(1);
    }
  }
}
