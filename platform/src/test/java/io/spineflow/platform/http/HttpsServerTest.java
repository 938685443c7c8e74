package io.spineflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.Health;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.ServiceMetrics;
import io.spineflow.platform.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTPS on loopback with the JDK's HttpClient: a client that trusts the test's self-signed
 * certificate gets its answers; plain HTTP to the same port is refused; a client that does not
 * trust the certificate is refused; {@code http.ops.port} moves {@code /health} and {@code
 * /metrics} to a port of their own.
 */
class HttpsServerTest {
  @TempDir static Path dir;
  private static Path cert;
  private static Path key;

  @BeforeAll
  static void certificate() throws IOException {
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    Tls.writePem(
        SelfSignedCertificate.generate(
            "spineflow test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1)),
        cert,
        key);
  }

  private static Settings tls(Map<String, String> more) {
    java.util.Map<String, String> all = new java.util.HashMap<>(more);
    all.put(CommonSettings.HTTP_TLS_CERT.name(), cert.toString());
    all.put(CommonSettings.HTTP_TLS_KEY.name(), key.toString());
    return Settings.of(all);
  }

  private static OpsServer start(Settings settings) {
    return OpsServer.start(
        "unit",
        HttpOptions.from(settings, 0),
        ServiceMetrics.create("unit"),
        () -> Health.up("RUNNING"),
        Map.of(
            "/hello",
            exchange ->
                OpsServer.respond(
                    exchange, 200, "text/plain", "hi".getBytes(StandardCharsets.UTF_8))));
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsToAClientThatTrustsTheCertificateAndRefusesPlainHttp() throws Exception {
    try (OpsServer server = start(tls(Map.of()))) {
      assertThat(server.scheme()).isEqualTo("https");
      HttpClient trusting = HttpClient.newBuilder().sslContext(Tls.trusting(cert)).build();
      // By name: the certificate's DNS name is checked.
      HttpResponse<String> hello = get(trusting, "https://localhost:" + server.port() + "/hello");
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("hi");
      assertThat(hello.sslSession())
          .get()
          .extracting(s -> s.getProtocol())
          .isIn("TLSv1.3", "TLSv1.2");
      assertThat(get(trusting, "https://127.0.0.1:" + server.port() + "/health").statusCode())
          .isEqualTo(200);

      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + server.port() + "/hello"))
          .isInstanceOf(IOException.class);

      HttpClient defaultTrust = HttpClient.newHttpClient();
      assertThatThrownBy(() -> get(defaultTrust, "https://localhost:" + server.port() + "/hello"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theOpsPortServesHealthAndMetricsAloneAndTheMainPortTheRoutes() throws Exception {
    try (OpsServer server = start(tls(Map.of(CommonSettings.HTTP_OPS_PORT.name(), "0")))) {
      assertThat(server.opsPort()).isNotEqualTo(server.port());
      HttpClient client = HttpClient.newBuilder().sslContext(Tls.trusting(cert)).build();
      String ops = "https://localhost:" + server.opsPort();
      String main = "https://localhost:" + server.port();
      assertThat(get(client, ops + "/health").statusCode()).isEqualTo(200);
      assertThat(get(client, ops + "/metrics").body()).contains("jvm_memory_used_bytes");
      assertThat(get(client, ops + "/hello").statusCode()).isEqualTo(404);
      assertThat(get(client, main + "/hello").body()).isEqualTo("hi");
      assertThat(get(client, main + "/health").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theDefaultBindAddressIsLoopback() {
    HttpOptions options = HttpOptions.from(Settings.of(Map.of()), 0);
    assertThat(options.bindAddress().isLoopbackAddress()).isTrue();
    assertThat(options.scheme()).isEqualTo("http");
    assertThatThrownBy(
            () ->
                HttpOptions.from(
                    Settings.of(Map.of(CommonSettings.HTTP_BIND_ADDRESS.name(), "no.such.host.")),
                    0))
        .hasMessage("http.bind.address: 'no.such.host.' is not an address here");
  }
}
