package dev.refit.pipeline.cli;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.server.GcReportJson;
import dev.refit.registry.store.fs.GcReport;
import dev.refit.registry.store.fs.StoreLock;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Asks the registry that serves a store to garbage-collect it ({@code POST /refit/v1/gc}, see
 * the server's {@code AdminHandlers}) and polls until the run ends. Blocking.
 */
final class ServedGc {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final StoreLock.Served served;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** {@code authorization} is a Basic header value, or null when the server needs none. */
  ServedGc(StoreLock.Served served, String authorization) {
    this.served = served;
    this.authorization = authorization;
  }

  static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  GcReport run(boolean dryRun) throws InterruptedException {
    HttpResponse<String> started = send("POST", "/refit/v1/gc" + (dryRun ? "?dry-run=true" : ""));
    if (started.statusCode() != 202) {
      throw failure(started);
    }
    String location = started.headers().firstValue("Location")
        .orElseThrow(() -> unexpected("a 202 without Location"));
    while (true) {
      HttpResponse<String> polled = send("GET", location);
      if (polled.statusCode() != 200) {
        throw failure(polled);
      }
      JsonObject body = json(polled);
      if ("done".equals(body.getString("state"))) {
        return GcReportJson.fromJson(body.getJsonObject("report", new JsonObject()));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private HttpResponse<String> send(String method, String pathAndQuery) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(served.baseUrl() + pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RefitException("the registry serving this store (process " + served.pid() + ", "
          + served.baseUrl() + ") did not answer: " + Causes.describe(e),
          "if it is starting or stopping, retry; if it was killed, run gc again (offline)",
          ExitCode.FAILED, e);
    }
  }

  /** The server's {@code {"errors":[...]}} as a failure the CLI reports. */
  private RefitException failure(HttpResponse<String> response) {
    JsonObject error = firstError(response);
    String code = error.getString("code", "");
    String message = error.getString("message", "HTTP " + response.statusCode());
    Object detail = error.getValue("detail");
    String hint = switch (code) {
      case "MANIFEST_UNREADABLE" -> detail instanceof JsonObject d ? d.getString("hint") : null;
      case "UNAUTHORIZED" -> "pass --username USER --password-file FILE, an htpasswd user of that server";
      case "TOOMANYREQUESTS" -> "too many failed logins from this address; wait a minute";
      case "DENIED" -> "it takes gc requests from loopback only: serve on 127.0.0.1 or 0.0.0.0,"
          + " or collect with 'registry serve --gc-interval'";
      case "UNSUPPORTED" -> "that server predates online gc or is read-only; stop it and run gc"
          + " offline, or collect with 'registry serve --gc-interval'";
      default -> null;
    };
    String prefix = code.equals("MANIFEST_UNREADABLE") ? ""
        : "gc by the registry serving this store (" + served.baseUrl() + ") failed: ";
    return new RefitException(prefix + message, hint, ExitCode.FAILED);
  }

  private static JsonObject firstError(HttpResponse<String> response) {
    try {
      JsonArray errors = new JsonObject(response.body()).getJsonArray("errors");
      if (errors != null && !errors.isEmpty() && errors.getValue(0) instanceof JsonObject e) {
        return e;
      }
    } catch (DecodeException | ClassCastException e) {
      // Not the registry's error form: report the status alone.
    }
    return new JsonObject();
  }

  private JsonObject json(HttpResponse<String> response) {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw unexpected("a body that is not JSON");
    }
  }

  private RefitException unexpected(String what) {
    return new RefitException("the registry serving this store (" + served.baseUrl()
        + ") answered gc with " + what, "is it a refit registry of this version?", ExitCode.FAILED);
  }
}
