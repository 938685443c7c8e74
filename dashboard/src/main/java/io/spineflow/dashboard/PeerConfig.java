package io.spineflow.dashboard;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * How dashboard instances find each other: this instance's advertised URL ({@code
 * dashboard.advertised.url}, which becomes Kafka Streams' {@code application.server}) and extra
 * certificates to trust for the other instances' HTTPS ({@code dashboard.peer.trust}).
 *
 * @param advertised empty: one instance, answering from its own stores
 * @param trust a PEM file of certificates to trust for peers, if any
 */
public record PeerConfig(Optional<URI> advertised, Optional<Path> trust) {

  /** One instance: no peers. */
  public static final PeerConfig SINGLE = new PeerConfig(Optional.empty(), Optional.empty());

  /**
   * Resolves both settings.
   *
   * @throws ConfigException naming the setting: a URL that is not scheme://host:port, a scheme that
   *     does not match whether TLS is configured, a trust file that cannot be read
   */
  public static PeerConfig from(Settings settings) {
    String url = settings.string(DashboardSettings.ADVERTISED_URL).trim();
    String trust = settings.string(DashboardSettings.PEER_TRUST).trim();
    Optional<Path> trustFile = Optional.empty();
    if (!trust.isEmpty()) {
      Path file = Path.of(trust);
      if (!Files.isReadable(file)) {
        throw new ConfigException(
            DashboardSettings.PEER_TRUST.name(), "cannot read " + file + " (a PEM file)");
      }
      trustFile = Optional.of(file);
    }
    if (url.isEmpty()) {
      return new PeerConfig(Optional.empty(), trustFile);
    }
    return new PeerConfig(Optional.of(parse(url, tlsConfigured(settings))), trustFile);
  }

  private static boolean tlsConfigured(Settings settings) {
    return !settings.string(CommonSettings.HTTP_TLS_KEYSTORE).isEmpty()
        || !settings.string(CommonSettings.HTTP_TLS_CERT).isEmpty();
  }

  static URI parse(String url, boolean tls) {
    String setting = DashboardSettings.ADVERTISED_URL.name();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(setting, "'" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(
          setting, "must be http://HOST:PORT or https://HOST:PORT, got '" + url + "'");
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new ConfigException(
          setting,
          "must name the host and the port of http.port, e.g."
              + " https://dashboard-0.dashboard-peers:8080, got '"
              + url
              + "'");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
        || uri.getRawQuery() != null
        || uri.getRawUserInfo() != null) {
      throw new ConfigException(
          setting, "must be scheme://host:port only (no path, query or user), got '" + url + "'");
    }
    if (tls != scheme.equals("https")) {
      throw new ConfigException(
          setting,
          tls
              ? "must be https: this dashboard serves HTTPS only (http.tls.* is set)"
              : "must be http: TLS is not configured (http.tls.*), so the dashboard serves plain"
                  + " HTTP");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /** Whether instances answer for each other (an advertised URL is set). */
  public boolean federated() {
    return advertised.isPresent();
  }

  /** {@code host:port} for Kafka Streams' {@code application.server}. */
  public Optional<String> applicationServer() {
    return advertised.map(u -> u.getHost() + ":" + u.getPort());
  }

  /** This instance as Kafka Streams' metadata names it. */
  public Optional<HostInfo> self() {
    return advertised.map(u -> new HostInfo(u.getHost(), u.getPort()));
  }

  /** {@code http} or {@code https}: every instance serves the same. */
  public String scheme() {
    return advertised.map(URI::getScheme).orElse("http");
  }
}
