package io.spineflow.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spineflow.platform.http.HttpOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's HTTP face: {@code GET /health} (JSON, 200 when up, 503 when not), {@code GET
 * /metrics} (Prometheus text) and whatever routes the service adds (upload, dashboard), over HTTPS
 * when TLS is configured, bound to {@code http.bind.address} ({@link HttpOptions}).
 */
public final class OpsServer implements AutoCloseable {
  /** Where every service answers its health; probes (deploy/) name it. */
  public static final String HEALTH_PATH = "/health";

  /** Where every service serves its metrics (Prometheus text). */
  public static final String METRICS_PATH = "/metrics";

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer main;
  private final HttpServer ops;
  private final String scheme;

  private OpsServer(HttpServer main, HttpServer ops, String scheme) {
    this.main = main;
    this.ops = ops;
    this.scheme = scheme;
  }

  /**
   * Bounds the time of every HTTP request of this JVM's servers (the JDK server's {@code
   * sun.net.httpserver.maxReqTime}/{@code maxRspTime}, read once when its first server starts; an
   * explicit {@code -D} wins). Without it a client that stalls mid-request holds a request thread
   * for ever, and a handful of them starve {@code /health}.
   */
  public static void limitRequestTime(java.time.Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(seconds));
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", Long.toString(seconds));
    }
  }

  /** Plain HTTP on loopback {@code port} (0 picks a free port), everything on one port. */
  public static OpsServer start(
      String serviceName,
      int port,
      PrometheusMeterRegistry metrics,
      Supplier<Health> health,
      Map<String, HttpHandler> routes) {
    return start(serviceName, HttpOptions.loopback(port), metrics, health, routes);
  }

  /**
   * Binds and serves as {@code options} say: HTTPS when TLS is configured; {@code /health} and
   * {@code /metrics} on the main port, or on {@code http.ops.port} alone when it is set (the main
   * port is then opened only if the service has routes of its own).
   *
   * @param routes extra handlers by path prefix, e.g. {@code /upload}; may be empty
   * @throws ConfigException naming {@code http.port} (or {@code http.ops.port}) when the port is
   *     taken
   */
  public static OpsServer start(
      String serviceName,
      HttpOptions options,
      PrometheusMeterRegistry metrics,
      Supplier<Health> health,
      Map<String, HttpHandler> routes) {
    Map<String, HttpHandler> ops = new LinkedHashMap<>();
    ops.put(HEALTH_PATH, exchange -> serveHealth(exchange, serviceName, health.get()));
    ops.put(
        METRICS_PATH,
        exchange ->
            respond(
                exchange,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    HttpServer main = null;
    HttpServer opsServer = null;
    try {
      if (options.opsPort().isEmpty()) {
        Map<String, HttpHandler> all = new LinkedHashMap<>(ops);
        all.putAll(routes);
        main = serve(options, serviceName, options.port(), CommonSettings.HTTP_PORT, all);
      } else {
        opsServer =
            serve(
                options,
                serviceName,
                options.opsPort().getAsInt(),
                CommonSettings.HTTP_OPS_PORT,
                ops);
        if (!routes.isEmpty()) {
          main = serve(options, serviceName, options.port(), CommonSettings.HTTP_PORT, routes);
        }
      }
    } catch (RuntimeException e) {
      if (opsServer != null) {
        opsServer.stop(0);
      }
      throw e;
    }
    OpsServer server = new OpsServer(main, opsServer, options.scheme());
    LOG.info(
        "{} serves {} on {} port {}{}",
        serviceName,
        routes.isEmpty() ? "/health and /metrics" : "its routes",
        options.scheme().toUpperCase(java.util.Locale.ROOT),
        server.port(),
        opsServer == null ? "" : ", /health and /metrics on port " + server.opsPort());
    return server;
  }

  private static HttpServer serve(
      HttpOptions options,
      String serviceName,
      int port,
      Setting setting,
      Map<String, HttpHandler> routes) {
    HttpServer server = options.bind(serviceName, port, setting.name());
    routes.forEach(server::createContext);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, serviceName + "-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return server;
  }

  private static void serveHealth(HttpExchange exchange, String serviceName, Health health)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", serviceName);
    body.put("status", health.up() ? "UP" : "DOWN");
    body.put("state", health.state());
    body.put("details", health.details());
    respond(exchange, health.up() ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
  }

  /** Writes a complete response and closes the exchange. */
  public static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Responds with a JSON body. */
  public static void respondJson(HttpExchange exchange, int status, Object body)
      throws IOException {
    respond(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  /** The main port (the ops port when the service has no routes and they have a port). */
  public int port() {
    return (main != null ? main : ops).getAddress().getPort();
  }

  /** The port of {@code /health} and {@code /metrics}. */
  public int opsPort() {
    return (ops != null ? ops : main).getAddress().getPort();
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return scheme;
  }

  @Override
  public void close() {
    for (HttpServer server : new HttpServer[] {main, ops}) {
      if (server != null) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService executor) {
          executor.shutdownNow();
        }
      }
    }
  }
}
