package io.spineflow.cli;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The demo's HTTPS: a self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code
 * ::1} in {@code <data-dir>/tls} ({@code cert.pem}, {@code key.pem} readable by the owner only),
 * made at the first start and kept while it has more than a day left, so a browser exception or a
 * client's trust survives a restart.
 *
 * @param cert the certificate to trust
 * @param key its private key
 */
record DemoCertificate(Path cert, Path key) {
  static final Duration VALIDITY = Duration.ofDays(90);

  /**
   * The demo's pair, made or reused; null when the environment configures TLS itself ({@code
   * SPINEFLOW_HTTP_TLS_KEYSTORE} or {@code SPINEFLOW_HTTP_TLS_CERT}), which then wins.
   */
  static DemoCertificate unlessConfigured(Path dir) {
    if (System.getenv(CommonSettings.HTTP_TLS_KEYSTORE.envVar()) != null
        || System.getenv(CommonSettings.HTTP_TLS_CERT.envVar()) != null) {
      return null;
    }
    DemoCertificate pair = new DemoCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    if (!pair.usable()) {
      try {
        Tls.writePem(
            SelfSignedCertificate.generate(
                "spineflow demo", List.of("localhost", "127.0.0.1", "::1"), VALIDITY),
            pair.cert,
            pair.key);
      } catch (IOException e) {
        throw new ConfigException(
            "--data-dir", "cannot write the demo's certificate to " + dir + " (" + e + ")");
      }
    }
    return pair;
  }

  private boolean usable() {
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      return false;
    }
    try {
      X509Certificate certificate = Tls.readCertificates(cert).get(0);
      Tls.readPrivateKey(key);
      return certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(1)));
    } catch (ConfigException e) {
      return false; // damaged: made anew
    }
  }
}
