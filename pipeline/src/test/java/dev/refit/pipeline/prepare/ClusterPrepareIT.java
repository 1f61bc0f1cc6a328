package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.fetch.CountingProxy;
import dev.refit.pipeline.local.FreeAddress;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refit prepare --cluster} with three {@code refit worker} JVMs and a coordinator JVM,
 * Hazelcast on loopback, a distribution registry ({@code docker-registry serve}) as the shared
 * store, the upstream behind a connection-counting proxy. The published digests equal a local
 * run's into another distribution; one worker killed with SIGKILL mid-job still ends with exit
 * 0 and the same rows; {@code --no-fetch} then makes no upstream connection from any node and
 * finds every patched image unchanged; the same workers then take a {@code refit mirror
 * --cluster} run into the shared distribution, with upstream's digests.
 */
class ClusterPrepareIT {
  /** Short, so the killed worker's job is sent again soon; a cold worker JVM needs a few seconds a job. */
  private static final String JOB_TIMEOUT = "30s";

  @TempDir Path tmp;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void prepare_threeWorkersOneKilled_sameDigestsAsLocalAndOfflineMakesNoUpstreamConnection()
      throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"))) {
      CountingProxy proxy = CountingProxy.start(fixture.vertx, port(fixture.upstream.hostPort()));
      Files.writeString(fixture.refitYaml, Files.readString(fixture.refitYaml)
          .replace("registry: " + fixture.upstream.hostPort(), "registry: 127.0.0.1:" + proxy.port())
          + "job_timeout: " + JOB_TIMEOUT + "\n");
      String reference = distribution("reference");
      String shared = distribution("shared");

      Map<String, String> local = rows(run("local", prepare(fixture, reference, "local-cache")));

      List<String> members = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        members.add(FreeAddress.loopback());
      }
      List<List<String>> workerLogs = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        workerLogs.add(worker(i, members));
      }
      List<String> coordinator = new ArrayList<>(prepare(fixture, shared, "coordinator-cache"));
      coordinator.addAll(cluster(members.get(0), members));
      Process run = start("coordinator", coordinator, "-Xmx384m");
      // SIGKILL worker 1 as soon as it has taken a job.
      Process first = workers.get(0);
      await(workerLogs.get(0), line -> line.contains(": started"), run);
      first.destroyForcibly();
      Map<String, String> clustered = rows(finish("coordinator", run));

      assertThat(clustered).isEqualTo(local);
      assertThat(local.values()).anyMatch(r -> r.startsWith("patched sha256:"));
      assertThat(Files.readString(tmp.resolve("coordinator.out")))
          .as("worker 1's job was sent again").contains("sent again (attempt 2 of 3)");

      int before = proxy.connections();
      List<String> offline = new ArrayList<>(coordinator);
      offline.add("--no-fetch");
      Map<String, String> again = rows(run("offline", offline));

      assertThat(proxy.connections()).as("upstream connections during --no-fetch").isEqualTo(before);
      assertThat(digests(again)).isEqualTo(digests(local));
      // A re-run resumes: every image published with the same build key is unchanged.
      local.forEach((service, row) -> assertThat(again.get(service)).as(service)
          .startsWith(row.startsWith("patched") ? "unchanged" : "cached"));

      // The same workers take mirror jobs: the images land in distribution with upstream's digests.
      UpstreamImages images = new UpstreamImages(fixture.upstream.store());
      byte[] base = UpstreamImages.layer(31, 100_000);
      Map<String, String> upstream = new TreeMap<>();
      for (String repo : List.of("mirror/one", "mirror/two", "mirror/three")) {
        upstream.put(repo, images.image(repo, "v1", Platform.of("linux", "amd64"), base,
            UpstreamImages.layer(repo.length(), 20_000)).digest().toString());
      }
      Path sync = Files.writeString(tmp.resolve("sync.yaml"), fixture.upstream.hostPort()
          + ":\n  images:\n" + upstream.keySet().stream().map(r -> "    " + r + ": [v1]\n")
              .collect(Collectors.joining()));
      List<String> mirror = new ArrayList<>(List.of("mirror", "-f", sync.toString(), "--to",
          "docker://" + shared + "/mirrored", "--keep-path", "--output", "json"));
      mirror.addAll(cluster(members.get(0), members));
      JsonObject mirrored = new JsonObject(last(run("mirror", mirror)));

      assertThat(mirrored.getInteger("images")).isEqualTo(3);
      assertThat(mirrored.getInteger("failed")).isZero();
      for (Map.Entry<String, String> image : upstream.entrySet()) {
        assertThat(digestAt(shared, "mirrored/" + image.getKey(), "v1")).as(image.getKey())
            .isEqualTo(image.getValue());
      }
      assertThat(workerLogs.get(1).stream().filter(l -> l.contains(": copied to docker://")).count()
          + workerLogs.get(2).stream().filter(l -> l.contains(": copied to docker://")).count())
          .as("the two live workers copied the images").isEqualTo(3);
    }
  }

  private static String last(List<String> lines) {
    return lines.get(lines.size() - 1);
  }

  /** The digest distribution serves for {@code repo:tag}. */
  private static String digestAt(String registry, String repo, String tag) throws Exception {
    var c = (java.net.HttpURLConnection) java.net.URI.create("http://" + registry + "/v2/" + repo
        + "/manifests/" + tag).toURL().openConnection();
    c.setRequestMethod("HEAD");
    c.setRequestProperty("Accept", MediaType.OCI_MANIFEST + "," + MediaType.DOCKER_MANIFEST);
    assertThat(c.getResponseCode()).as(repo + ":" + tag).isEqualTo(200);
    return c.getHeaderField("Docker-Content-Digest");
  }

  /** Starts worker {@code n} (port {@code members[n]}) and waits until it joined; its stdout lines. */
  private List<String> worker(int n, List<String> members) throws Exception {
    List<String> command = new ArrayList<>(List.of("worker", "--cache-dir",
        tmp.resolve("worker-" + n).toString()));
    command.addAll(cluster(members.get(n), members));
    Process p = start("worker-" + n, command, "-Xmx256m");
    workers.add(p);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          Files.writeString(tmp.resolve("worker-" + n + ".out"), line + "\n", StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
      } catch (java.io.IOException e) {
        // The worker was killed.
      }
    });
    reader.setDaemon(true);
    reader.start();
    await(lines, line -> line.contains("joined the cluster"), p);
    return lines;
  }

  private static List<String> cluster(String self, List<String> members) {
    return List.of("--cluster", "--cluster-host", "127.0.0.1", "--cluster-port",
        String.valueOf(port(self)), "--cluster-members", String.join(",", members),
        "--cluster-wait", "60s");
  }

  private List<String> prepare(UpstreamFixture fixture, String registry, String cache) {
    return new ArrayList<>(List.of("prepare", "-d", fixture.settingsFile.toString(),
        "-c", fixture.refitYaml.toString(),
        "--registry", "http://" + registry, "--cache-dir", tmp.resolve(cache).toString(),
        "--output", "json"));
  }

  private List<String> run(String name, List<String> args) throws Exception {
    return finish(name, start(name, args, "-Xmx384m"));
  }

  /** Waits for the prepare child to end with exit 0; its stdout lines. */
  private List<String> finish(String name, Process p) throws Exception {
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    List<String> out = Files.readAllLines(tmp.resolve(name + ".out"));
    assertThat(p.exitValue()).as(name + ": " + String.join("\n", out) + "\n"
        + Files.readString(tmp.resolve(name + ".err"))).isZero();
    return out;
  }

  private Process start(String name, List<String> args, String heap) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), heap, "-cp",
        System.getProperty("java.class.path"), "dev.refit.pipeline.cli.Main"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(tmp.resolve(name + ".err").toFile());
    if (!name.startsWith("worker")) {
      builder.redirectOutput(tmp.resolve(name + ".out").toFile());
    }
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /** Starts {@code docker-registry serve} on a free loopback port; its {@code host:port}. */
  private String distribution(String name) throws Exception {
    String address = FreeAddress.loopback();
    Path config = Files.writeString(tmp.resolve(name + "-registry.yml"), """
        version: 0.1
        log:
          level: error
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: %s
        """.formatted(tmp.resolve(name + "-store"), address));
    Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve(name + "-registry.log").toFile()).start();
    processes.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        var c = (java.net.HttpURLConnection) java.net.URI.create("http://" + address + "/v2/").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return address;
        }
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("docker-registry did not start: " + Files.readString(tmp.resolve(name + "-registry.log")));
  }

  private static void await(List<String> lines, Predicate<String> seen, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (lines.stream().noneMatch(seen)) {
      assertThat(p.isAlive()).as("still running; output so far: " + lines).isTrue();
      assertThat(System.nanoTime() < deadline).as("waited 3 minutes; output: " + lines).isTrue();
      Thread.sleep(50);
    }
  }

  /** service → "action apexDigest" from the report line of {@code prepare --output json}. */
  private static Map<String, String> rows(List<String> out) {
    JsonObject report = new JsonObject(out.get(out.size() - 1));
    assertThat(report.getString("type")).isEqualTo("report");
    Map<String, String> rows = new TreeMap<>();
    report.getJsonArray("images").forEach(o -> {
      JsonObject row = (JsonObject) o;
      rows.put(row.getString("service"), row.getString("action") + " " + row.getString("apexDigest"));
    });
    return rows;
  }

  private static Map<String, String> digests(Map<String, String> rows) {
    return rows.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().substring(e.getValue().indexOf(' ') + 1), (a, b) -> a, TreeMap::new));
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
