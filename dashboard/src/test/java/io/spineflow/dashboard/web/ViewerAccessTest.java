package io.spineflow.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.Health;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.ServiceMetrics;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.BearerToken;
import io.spineflow.platform.http.HttpOptions;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer token on the dashboard's real HTTP routes over HTTPS (loopback, the test's self-signed
 * certificate; no Kafka: the stores are "not ready", so an allowed API call answers 503): the API
 * and images answer 401 without it; the sign-in form and the {@code /?token=} link set an HttpOnly,
 * SameSite=Strict, Secure cookie that holds a hash of the token, not the token, and opens the API.
 */
class ViewerAccessTest {
  private static final String TOKEN = "viewer-token-0123456789";

  @TempDir static Path dir;
  private static OpsServer server;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Tls.writePem(
        SelfSignedCertificate.generate("test", List.of("localhost"), Duration.ofDays(1)),
        cert,
        key);
    DashboardHttp routes =
        new DashboardHttp(
            Optional::empty,
            () -> "REBALANCING",
            new io.spineflow.dashboard.GalleryImages(),
            new RetrainAction(null, r -> {}, List::of, "spine-unet", Clock.systemUTC()),
            new ViewerAccess(new BearerToken(TOKEN)),
            Duration.ofMinutes(30),
            Duration.ofHours(6));
    server =
        OpsServer.start(
            "dashboard",
            HttpOptions.from(
                Settings.of(
                    Map.of(
                        CommonSettings.HTTP_TLS_CERT.name(), cert.toString(),
                        CommonSettings.HTTP_TLS_KEY.name(), key.toString())),
                0),
            ServiceMetrics.create("dashboard"),
            () -> Health.up("RUNNING"),
            routes.routes());
    http = HttpClient.newBuilder().sslContext(Tls.trusting(cert)).build();
    base = "https://localhost:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiAndImagesAnswer401WithoutTheToken() throws Exception {
    HttpResponse<String> state = get("/api/state");
    assertThat(state.statusCode()).isEqualTo(401);
    assertThat(state.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"spineflow\"");
    assertThat(state.body()).contains("UNAUTHORIZED").doesNotContain(TOKEN);
    assertThat(get("/api/gallery.png?key=a/1").statusCode()).isEqualTo(401);
    assertThat(get("/api/state", "Authorization", "Bearer wrong-token-0123456789").statusCode())
        .isEqualTo(401);
    assertThat(
            get("/api/state", "Cookie", ViewerAccess.COOKIE + "=" + sha256Hex(TOKEN)).statusCode())
        .as("the token's plain hash is not the cookie")
        .isEqualTo(401);
    assertThat(get("/api/state", "Cookie", ViewerAccess.COOKIE + "=" + TOKEN).statusCode())
        .isEqualTo(401);
    // The page sends a browser without the cookie to the sign-in form; its assets stay open.
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).contains("/signin");
    assertThat(get("/signin").body()).contains("<form method=\"post\" action=\"/signin\">");
    assertThat(get("/static/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void withTheTokenTheApiAnswers() throws Exception {
    // 503: allowed, and the (absent) stores are restoring.
    assertThat(get("/api/state", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(503);
  }

  @Test
  void theSignInFormSetsAHashedHttpOnlyStrictSecureCookie() throws Exception {
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=not-the-token-0123"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("The token is wrong.");
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> right =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(right.statusCode()).isEqualTo(303);
    assertThat(right.headers().firstValue("Location")).contains("/");
    String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
    assertCookie(cookie);

    String pair = cookie.substring(0, cookie.indexOf(';'));
    assertThat(get("/api/state", "Cookie", pair).statusCode()).isEqualTo(503);
    assertThat(get("/", "Cookie", "other=1; " + pair).statusCode()).isEqualTo(200);
  }

  @Test
  void theSignInLinkSetsTheSameCookieAndDropsTheTokenFromTheAddress() throws Exception {
    HttpResponse<String> link = get("/?token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
    assertThat(link.statusCode()).isEqualTo(303);
    assertThat(link.headers().firstValue("Location")).contains("/");
    assertCookie(link.headers().firstValue("Set-Cookie").orElseThrow());
    assertThat(get("/?token=wrong-token-0123456789").statusCode()).isEqualTo(401);
    HttpResponse<String> out = get("/signout");
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
  }

  private static void assertCookie(String cookie) throws Exception {
    assertThat(cookie)
        .startsWith(ViewerAccess.COOKIE + "=")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Secure")
        .contains("; Path=/")
        .doesNotContain(TOKEN)
        .doesNotContain(sha256Hex(TOKEN));
    String value = cookie.substring(ViewerAccess.COOKIE.length() + 1, cookie.indexOf(';'));
    assertThat(value).matches("[0-9a-f]{64}");
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
