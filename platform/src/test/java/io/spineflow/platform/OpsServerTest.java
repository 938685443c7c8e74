package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real HTTP on a loopback port: health, Prometheus metrics, extra routes, a port in use. */
class OpsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthMetricsAndRoutes() throws Exception {
    PrometheusMeterRegistry registry = ServiceMetrics.create("unit");
    registry.counter("spineflow_unit_things").increment(3);
    AtomicReference<Health> health = new AtomicReference<>(Health.up("RUNNING"));
    try (OpsServer server =
        OpsServer.start(
            "unit",
            0,
            registry,
            health::get,
            Map.of(
                "/hello",
                exchange ->
                    OpsServer.respond(
                        exchange, 200, "text/plain", "hi".getBytes(StandardCharsets.UTF_8))))) {
      HttpResponse<String> up = get(server.port(), "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"state\":\"RUNNING\"");

      health.set(Health.down("WAITING_FOR_MODEL", "no model announced yet"));
      HttpResponse<String> down = get(server.port(), "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("no model announced yet");

      HttpResponse<String> metrics = get(server.port(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("spineflow_unit_things_total{service=\"unit\"} 3.0")
          .contains("jvm_memory_used_bytes");

      assertThat(get(server.port(), "/hello").body()).isEqualTo("hi");
    }
  }

  @Test
  void aPortInUseIsAOneLineErrorNamingTheSetting() {
    PrometheusMeterRegistry registry = ServiceMetrics.create("unit");
    try (OpsServer first = OpsServer.start("first", 0, registry, () -> Health.up("OK"), Map.of())) {
      assertThatThrownBy(
              () ->
                  OpsServer.start(
                      "second", first.port(), registry, () -> Health.up("OK"), Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessage("http.port: port " + first.port() + " of second is already in use");
    }
  }
}
