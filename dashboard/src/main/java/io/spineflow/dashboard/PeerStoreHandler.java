package io.spineflow.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.http.BearerToken;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /internal/stores?store=S&partitions=0,2[&from=F&to=T | &key=K]}: this instance's
 * active partitions of a store the page reads, as {@link StoreRows}, for the other instances. Only
 * with {@code Authorization: Bearer <viewer token>} (401 otherwise; a browser's cookie does not
 * open it). Never forwards: a partition this instance does not hold (any more) is a 503, and the
 * asking instance answers its own request with a 503 too.
 */
final class PeerStoreHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PeerStoreHandler.class);
  private static final int MAX_PARTITIONS = 10_000;

  private final LocalStores local;
  private final BearerToken viewerToken;

  PeerStoreHandler(LocalStores local, BearerToken viewerToken) {
    this.local = local;
    this.viewerToken = viewerToken;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (!viewerToken.matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"spineflow\"");
        OpsServer.respondJson(exchange, 401, Map.of("error", "UNAUTHORIZED"));
        return;
      }
      if (!exchange.getRequestMethod().equalsIgnoreCase("GET")
          || !exchange.getRequestURI().getPath().equals(PeerClient.PATH)) {
        OpsServer.respondJson(exchange, 404, Map.of("error", "NOT_FOUND"));
        return;
      }
      Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
      Optional<DashboardStores.Queryable> store =
          DashboardStores.queryable(params.getOrDefault("store", ""));
      if (store.isEmpty()) {
        OpsServer.respondJson(exchange, 404, Map.of("error", "NO_SUCH_STORE"));
        return;
      }
      byte[] rows;
      try {
        rows = rows(store.get(), params);
      } catch (IllegalArgumentException e) {
        OpsServer.respondJson(
            exchange,
            400,
            Map.of("error", "BAD_REQUEST", "message", String.valueOf(e.getMessage())));
        return;
      } catch (InvalidStateStoreException e) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        OpsServer.respondJson(
            exchange, 503, Map.of("error", "NOT_HERE", "message", String.valueOf(e.getMessage())));
        return;
      }
      OpsServer.respond(exchange, 200, "application/octet-stream", rows);
    } catch (RuntimeException e) {
      LOG.warn("peer request {} failed", LogSafe.text(exchange.getRequestURI().toString()), e);
      OpsServer.respondJson(exchange, 500, Map.of("error", "INTERNAL_ERROR"));
    }
  }

  @SuppressWarnings("unchecked")
  private <V> byte[] rows(DashboardStores.Queryable store, Map<String, String> params) {
    String name = store.name();
    Serde<V> serde = (Serde<V>) store.values();
    List<Integer> partitions = partitions(params.get("partitions"));
    String key = params.get("key");
    if (key != null) {
      if (store.windowed() || partitions.size() != 1) {
        throw new IllegalArgumentException("key needs a key-value store and one partition");
      }
      List<KeyValue<String, V>> rows = new ArrayList<>();
      local.<V>get(name, partitions.get(0), key).ifPresent(v -> rows.add(KeyValue.pair(key, v)));
      return StoreRows.encodeKeyValues(name, rows, serde);
    }
    if (store.windowed()) {
      long from = number(params, "from");
      long to = number(params, "to");
      List<KeyValue<Windowed<String>, V>> rows = new ArrayList<>();
      partitions.forEach(p -> rows.addAll(local.<V>windows(name, p, from, to)));
      return StoreRows.encodeWindows(name, rows, serde);
    }
    List<KeyValue<String, V>> rows = new ArrayList<>();
    partitions.forEach(p -> rows.addAll(local.<V>all(name, p)));
    return StoreRows.encodeKeyValues(name, rows, serde);
  }

  private static List<Integer> partitions(String list) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("partitions is required");
    }
    List<Integer> out = new ArrayList<>();
    for (String p : list.split(",")) {
      int partition = Integer.parseInt(p.trim());
      if (partition < 0 || partition >= MAX_PARTITIONS) {
        throw new IllegalArgumentException("partition " + partition + " is out of range");
      }
      out.add(partition);
    }
    return out;
  }

  private static long number(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required for a windowed store");
    }
    return Long.parseLong(value);
  }

  private static Map<String, String> params(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
