package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./spineflow demo} as a person runs it: a separate process that starts the broker and every
 * service, answers /health and /metrics, and stops cleanly on Ctrl-C (a real SIGINT).
 */
class DemoIT {
  private static final Pattern HEALTH_LINE =
      Pattern.compile("^\\s+(\\S+)\\s+https://localhost:(\\d+)/health$");

  @TempDir Path dataDir;

  @Test
  void startsEverythingAnswersHealthAndMetricsAndStopsCleanlyOnCtrlC() throws Exception {
    try (DemoProcess demo =
        DemoProcess.start(
            "--data-dir",
            dataDir.toString(),
            "--kafka-port",
            "0",
            "--port",
            "0",
            "--service-ports-from",
            "0")) {
      List<String> out = demo.lines();
      demo.awaitLine("Running. Ctrl-C stops everything cleanly."::equals, Duration.ofMinutes(2));
      Map<String, Integer> ports = new ConcurrentHashMap<>();
      for (String line : out) {
        Matcher m = HEALTH_LINE.matcher(line);
        if (m.matches()) {
          ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
      }
      assertThat(ports.keySet())
          .containsExactlyInAnyOrderElementsOf(
              ServiceModules.all().stream().map(ServiceModule::name).toList());
      HttpClient http = demo.https();
      for (var service : ports.entrySet()) {
        // Streams services report DOWN until their first assignment: wait for UP, with a bound.
        await()
            .atMost(Duration.ofMinutes(1))
            .untilAsserted(
                () -> {
                  HttpResponse<String> health = get(http, service.getValue(), "/health");
                  assertThat(health.statusCode()).as(service.getKey() + " /health").isEqualTo(200);
                  assertThat(health.body()).contains("\"service\":\"" + service.getKey() + "\"");
                });
        assertThat(get(http, service.getValue(), "/metrics").body())
            .contains("jvm_memory_used_bytes{")
            .contains("service=\"" + service.getKey() + "\"");
      }
      assertThat(out).anyMatch(l -> l.startsWith("Kafka (embedded, KRaft) on 127.0.0.1:"));

      // HTTPS only: plain HTTP to a service's port is refused.
      int ingest = ports.get("ingest");
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + ingest + "/health"))
                              .timeout(Duration.ofSeconds(30))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      // The dashboard's API: 401 without the viewer token; the printed sign-in link sets a
      // cookie that opens it.
      String dashboard = "https://localhost:" + ports.get("dashboard");
      assertThat(get(http, dashboard + "/api/state").statusCode()).isEqualTo(401);
      String link = demo.signInLink();
      assertThat(link).startsWith(dashboard + "/?token=");
      HttpResponse<String> signIn = get(http, link);
      assertThat(signIn.statusCode()).isEqualTo(303);
      String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Secure");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(URI.create(dashboard + "/api/state"))
                                  .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      assertThat(demo.certificate()).isRegularFile();

      // 130 = 128 + SIGINT: the JVM's (and every shell tool's) exit status after Ctrl-C.
      assertThat(demo.interrupt(Duration.ofSeconds(60))).isEqualTo(130);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> out.stream().anyMatch(l -> l.startsWith("Stopped.")));
      assertThat(String.join("\n", out)).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(Files.readString(dataDir.resolve("logs/spineflow.log"))).isNotEmpty();
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return get(http, "https://localhost:" + port + path);
  }

  private static HttpResponse<String> get(HttpClient http, String url)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
