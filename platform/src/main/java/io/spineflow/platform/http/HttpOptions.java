package io.spineflow.platform.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How a service's HTTP servers listen: the bind address ({@code http.bind.address}), the port, an
 * optional separate port for {@code /health} and {@code /metrics} ({@code http.ops.port}) and TLS
 * ({@code http.tls.*}). The one place that builds the JDK's {@link HttpServer} or {@link
 * HttpsServer}; with TLS configured every port is HTTPS only (a plain-HTTP request fails its
 * handshake and the connection is closed).
 *
 * @param tls empty for plain HTTP
 */
public record HttpOptions(
    InetAddress bindAddress, int port, OptionalInt opsPort, Optional<SSLContext> tls) {

  /** TLS 1.3 and 1.2 only: older versions have known weaknesses and no client here needs them. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** Loopback, plain HTTP, no separate ops port: tests and tools. */
  public static HttpOptions loopback(int port) {
    return new HttpOptions(
        InetAddress.getLoopbackAddress(), port, OptionalInt.empty(), Optional.empty());
  }

  /** The options {@code settings} give, with {@code port} as the service's main port. */
  public static HttpOptions from(Settings settings, int port) {
    String address = settings.string(CommonSettings.HTTP_BIND_ADDRESS);
    InetAddress bind;
    try {
      bind = InetAddress.getByName(address.isEmpty() ? "127.0.0.1" : address);
    } catch (UnknownHostException e) {
      throw new ConfigException(
          CommonSettings.HTTP_BIND_ADDRESS.name(), "'" + address + "' is not an address here");
    }
    OptionalInt ops =
        settings.string(CommonSettings.HTTP_OPS_PORT).isEmpty()
            ? OptionalInt.empty()
            : OptionalInt.of(settings.integer(CommonSettings.HTTP_OPS_PORT, 0, 65535));
    return new HttpOptions(bind, port, ops, Tls.serverContext(settings));
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /** With another main port (the demo's fixed ports, a test's 0). */
  public HttpOptions withPort(int newPort) {
    return new HttpOptions(bindAddress, newPort, opsPort, tls);
  }

  /**
   * Binds a server on {@code port} of the bind address, HTTPS when TLS is configured.
   *
   * @param setting the setting named when the port is taken
   * @throws ConfigException naming {@code setting} when the port is taken or cannot be bound
   */
  public HttpServer bind(String serviceName, int port, String setting) {
    InetSocketAddress address = new InetSocketAddress(bindAddress, port);
    try {
      if (tls.isEmpty()) {
        return HttpServer.create(address, 64);
      }
      HttpsServer server = HttpsServer.create(address, 64);
      SSLContext context = tls.get();
      server.setHttpsConfigurator(
          new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters parameters = context.getDefaultSSLParameters();
              parameters.setProtocols(PROTOCOLS);
              params.setSSLParameters(parameters);
            }
          });
      return server;
    } catch (BindException e) {
      throw new ConfigException(
          setting, "port " + port + " of " + serviceName + " is already in use");
    } catch (IOException e) {
      throw new ConfigException(
          setting,
          "cannot listen on "
              + bindAddress.getHostAddress()
              + " port "
              + port
              + ": "
              + e.getMessage());
    }
  }
}
