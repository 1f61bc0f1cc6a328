package dev.refit.registry.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * When and whether a request body is read, including the {@code Expect: 100-continue} handshake
 * (RFC 9110 10.1.1). Event-loop only.
 *
 * <p>The server answers 100 only when a handler really starts consuming the body, so a client
 * that asked first (curl does for large bodies) learns about a rejection (401, 405, 413, a bad
 * name) without sending a byte of it.
 */
final class Bodies {
  private Bodies() {}

  static boolean expectsContinue(HttpServerRequest request) {
    String expect = request.getHeader("Expect");
    return expect != null && expect.trim().equalsIgnoreCase("100-continue");
  }

  /** Call right before reading the body: tells a waiting client to send it. */
  static void accept(HttpServerRequest request) {
    if (expectsContinue(request) && request.bytesRead() == 0 && !request.isEnded()) {
      request.response().writeContinue();
    }
  }

  /**
   * True when the client is still waiting for 100 before sending its body, i.e. nothing of it
   * will arrive unless the server asks: the connection then cannot be reused after the answer.
   */
  static boolean withheld(HttpServerRequest request) {
    return expectsContinue(request) && request.bytesRead() == 0 && !request.isEnded();
  }
}
