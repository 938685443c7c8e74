package io.spineflow.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
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
 * /metrics} (Prometheus text) and whatever routes the service adds (upload, dashboard).
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
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

  /**
   * Binds {@code port} on all interfaces (0 picks a free port) and serves.
   *
   * @param routes extra handlers by path prefix, e.g. {@code /upload}; may be empty
   * @throws ConfigException naming {@code http.port} when the port is taken
   */
  public static OpsServer start(
      String serviceName,
      int port,
      PrometheusMeterRegistry metrics,
      Supplier<Health> health,
      Map<String, HttpHandler> routes) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 64);
    } catch (BindException e) {
      throw new ConfigException(
          CommonSettings.HTTP_PORT.name(),
          "port " + port + " of " + serviceName + " is already in use");
    } catch (IOException e) {
      throw new ConfigException(
          CommonSettings.HTTP_PORT.name(), "cannot listen on port " + port + ": " + e.getMessage());
    }
    server.createContext("/health", exchange -> serveHealth(exchange, serviceName, health.get()));
    server.createContext(
        "/metrics",
        exchange ->
            respond(
                exchange,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
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
    LOG.info(
        "{} serves /health and /metrics on port {}", serviceName, server.getAddress().getPort());
    return new OpsServer(server, executor);
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

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
