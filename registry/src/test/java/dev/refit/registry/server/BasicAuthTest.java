package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth as an attacker probes it: timing of unknown users, and repeated guesses. */
class BasicAuthTest {
  @TempDir Path root;
  @TempDir Path work;

  private RegistryConfig config(int cost, ClientLimits limits) throws Exception {
    Path file = work.resolve("htpasswd");
    Files.writeString(file, "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToString(cost, "s3cret".toCharArray()) + "\n");
    return RegistryConfig.defaults(root).withHtpasswd(file).withClientLimits(limits);
  }

  @Test
  void check_unknownUser_takesAsLongAsWrongPassword() throws Exception {
    ClientLimits unthrottled = ClientLimits.defaults().withFailedLogins(1000, Duration.ofMinutes(1));
    try (InProcessRegistry registry = InProcessRegistry.start(config(9, unthrottled))) {
      RegistryHttp wrongPassword = new RegistryHttp(registry.baseUrl()).withBasicAuth("alice", "guess");
      RegistryHttp unknownUser = new RegistryHttp(registry.baseUrl()).withBasicAuth("mallory", "guess");
      wrongPassword.get("/v2/"); // warm-up: connection, JIT
      unknownUser.get("/v2/");
      long[] wrong = new long[5];
      long[] unknown = new long[5];
      for (int i = 0; i < wrong.length; i++) { // interleaved, so load spikes hit both alike
        wrong[i] = timed(wrongPassword);
        unknown[i] = timed(unknownUser);
      }

      assertThat(median(unknown)).as("median ns, unknown user vs wrong password %s",
          Arrays.toString(wrong)).isGreaterThanOrEqualTo(median(wrong) / 2);
    }
  }

  @Test
  void check_repeatedFailuresFromOneAddress_get429WithRetryAfterButVerifiedClientsPass()
      throws Exception {
    ClientLimits three = ClientLimits.defaults().withFailedLogins(3, Duration.ofMinutes(1));
    try (InProcessRegistry registry = InProcessRegistry.start(config(4, three))) {
      RegistryHttp alice = new RegistryHttp(registry.baseUrl()).withBasicAuth("alice", "s3cret");
      RegistryHttp guesser = new RegistryHttp(registry.baseUrl()).withBasicAuth("alice", "guess");
      assertThat(alice.get("/v2/").statusCode()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertError(guesser.get("/v2/"), 401, "UNAUTHORIZED");
      }

      HttpResponse<byte[]> throttled = guesser.get("/v2/");
      HttpResponse<byte[]> unknown = new RegistryHttp(registry.baseUrl())
          .withBasicAuth("mallory", "x").get("/v2/");

      assertError(throttled, 429, "TOOMANYREQUESTS");
      assertThat(Long.parseLong(header(throttled, "Retry-After"))).isBetween(1L, 60L);
      assertError(unknown, 429, "TOOMANYREQUESTS");
      assertThat(alice.get("/v2/").statusCode()).as("already verified credentials").isEqualTo(200);
    }
  }

  private static long timed(RegistryHttp http) {
    long start = System.nanoTime();
    assertError(http.get("/v2/"), 401, "UNAUTHORIZED");
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
