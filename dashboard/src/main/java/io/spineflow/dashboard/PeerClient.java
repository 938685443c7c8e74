package io.spineflow.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Fetches store partitions from another dashboard instance: {@code GET
 * <scheme>://<host>:<port>/internal/stores?...} with {@code Authorization: Bearer <viewer token>}
 * (every instance has the same one), over HTTPS when the dashboards serve HTTPS. Any failure (the
 * instance gone, a timeout, a non-200 answer) is a {@link PeerUnavailableException}: the request
 * that needed it answers 503 and the page asks again.
 */
final class PeerClient {
  /** The path an instance serves its store partitions on. */
  static final String PATH = "/internal/stores";

  /**
   * Requests to other instances in flight at once, at most: half of the HTTP server's four request
   * threads. Two instances answering pages at the same time each wait on the other's internal
   * route; were every thread of both waiting, neither could answer the other (a distributed
   * deadlock until the timeout). The internal route never waits on a peer, so with at most two
   * threads waiting on peers each instance always has threads free to answer the other.
   */
  static final int MAX_IN_FLIGHT = 2;

  private static final Duration WAIT_FOR_SLOT = Duration.ofSeconds(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final String scheme;
  private final String authorization;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  /**
   * @param tls the client context for HTTPS peers (null for plain HTTP)
   */
  PeerClient(String scheme, SSLContext tls, String viewerToken) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    this.scheme = scheme;
    this.authorization = "Bearer " + viewerToken;
  }

  /**
   * Rows of {@code partitions} of {@code store} on {@code host} ({@code from}/{@code to}: windows).
   */
  byte[] partitions(
      HostInfo host, String store, Collection<Integer> partitions, long from, long to) {
    String list = partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    return get(
        host,
        store,
        "store=" + encode(store) + "&partitions=" + list + "&from=" + from + "&to=" + to);
  }

  /** The row of {@code key} in {@code partition} of {@code store} on {@code host} (0 or 1 rows). */
  byte[] key(HostInfo host, String store, int partition, String key) {
    return get(
        host, store, "store=" + encode(store) + "&partitions=" + partition + "&key=" + encode(key));
  }

  private byte[] get(HostInfo host, String store, String query) {
    URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + PATH + "?" + query);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", authorization)
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      if (!inFlight.tryAcquire(WAIT_FOR_SLOT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new PeerUnavailableException(
            "busy: " + MAX_IN_FLIGHT + " requests to other instances already in flight");
      }
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } finally {
        inFlight.release();
      }
    } catch (IOException e) {
      throw new PeerUnavailableException(
          "the dashboard at " + host + " did not answer for " + store + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnavailableException("interrupted while asking " + host + " for " + store);
    }
    if (response.statusCode() != 200) {
      throw new PeerUnavailableException(
          "the dashboard at "
              + host
              + " answered "
              + response.statusCode()
              + " for "
              + store
              + (response.statusCode() == 401
                  ? " (the instances must share dashboard.viewer.token)"
                  : ""));
    }
    return response.body();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
