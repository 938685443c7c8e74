package io.spineflow.imaging.dicom.net;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A C-STORE receiver to send to: where it listens, the AE titles of both sides and the limits of
 * one attempt.
 *
 * @param tls the client context for a DICOM TLS port, or null for plain TCP
 * @param connectTimeout for the TCP connection (and the TLS handshake)
 * @param readTimeout for every answer the receiver owes (A-ASSOCIATE-AC, C-STORE-RSP, A-RELEASE-RP)
 */
public record StoreTarget(
    String host,
    int port,
    String callingAe,
    String calledAe,
    SSLContext tls,
    Duration connectTimeout,
    Duration readTimeout) {

  public StoreTarget {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " is not 1-65535");
    }
    callingAe = aeTitle("calling AE title", callingAe);
    calledAe = aeTitle("called AE title", calledAe);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: must be positive");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout: must be positive");
    }
  }

  /** An AE title as PS3.5 allows it: 1-16 characters of printable ASCII, not only spaces. */
  static String aeTitle(String what, String title) {
    Objects.requireNonNull(title, what);
    String stripped = title.strip();
    if (stripped.isEmpty() || stripped.length() > 16) {
      throw new IllegalArgumentException(what + ": '" + title + "' is not 1-16 characters");
    }
    for (int i = 0; i < stripped.length(); i++) {
      char ch = stripped.charAt(i);
      if (ch < 0x20 || ch >= 0x7F || ch == '\\') {
        throw new IllegalArgumentException(what + ": only printable ASCII without a backslash");
      }
    }
    return stripped;
  }

  /** host:port and the called AE title, for logs and dead letters (no secret in it). */
  public String describe() {
    return calledAe + "@" + host + ":" + port + (tls == null ? "" : " (TLS)");
  }
}
