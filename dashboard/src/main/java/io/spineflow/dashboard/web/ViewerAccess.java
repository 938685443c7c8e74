package io.spineflow.dashboard.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.spineflow.platform.http.BearerToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Who may see the dashboard: a request carries the viewer token as {@code Authorization: Bearer
 * <token>} (API clients), or the browser's sign-in cookie. The cookie holds a hash of the token,
 * never the token: a copied cookie opens this dashboard only, not whatever else the token might
 * open, and the token cannot be recovered from it. The hash is domain-separated from the token's
 * plain SHA-256 (of which {@link BearerToken#identity()} shows a prefix in audit records), so
 * nothing printed anywhere is a prefix of the cookie.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site's
 * page sends it along) and {@code Secure} whenever the dashboard serves HTTPS; it lasts {@link
 * #COOKIE_LIFETIME}. Changing the token signs every browser out.
 */
public final class ViewerAccess {
  /** The cookie's name. */
  public static final String COOKIE = "spineflow_viewer";

  /** How long a sign-in lasts. */
  public static final Duration COOKIE_LIFETIME = Duration.ofHours(12);

  private static final byte[] DOMAIN =
      "spineflow dashboard viewer cookie v1\0".getBytes(StandardCharsets.UTF_8);

  private final BearerToken token;
  private final byte[] cookieDigest;
  private final String cookieValue;

  public ViewerAccess(BearerToken token) {
    this.token = Objects.requireNonNull(token, "token");
    this.cookieValue = HexFormat.of().formatHex(cookieHash(token.digest()));
    this.cookieDigest = sha256(cookieValue.getBytes(StandardCharsets.US_ASCII));
  }

  /** True when {@code exchange} carries the viewer token or a valid sign-in cookie. */
  public boolean allows(HttpExchange exchange) {
    return token.matches(exchange.getRequestHeaders().getFirst("Authorization"))
        || hasCookie(exchange.getRequestHeaders().get("Cookie"));
  }

  /** True when {@code presented} (from the sign-in form or a {@code ?token=} link) is the token. */
  public boolean signIn(String presented) {
    return token.matchesSecret(presented);
  }

  /** The {@code Set-Cookie} value that signs a browser in. */
  public String signInCookie(HttpExchange exchange) {
    return COOKIE
        + "="
        + cookieValue
        + "; Path=/; Max-Age="
        + COOKIE_LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict"
        + (secure(exchange) ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that signs a browser out. */
  public String signOutCookie(HttpExchange exchange) {
    return COOKIE
        + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (secure(exchange) ? "; Secure" : "");
  }

  /**
   * {@code Secure} over HTTPS. Over plain HTTP (TLS not configured: loopback by default) a browser
   * would drop a Secure cookie, except on localhost, and the sign-in would silently not stick.
   */
  private static boolean secure(HttpExchange exchange) {
    return exchange instanceof HttpsExchange;
  }

  private boolean hasCookie(List<String> headers) {
    if (headers == null) {
      return false;
    }
    boolean found = false;
    for (String header : headers) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(COOKIE)) {
          byte[] presented = sha256(pair.substring(eq + 1).trim().getBytes(StandardCharsets.UTF_8));
          found |= MessageDigest.isEqual(presented, cookieDigest);
        }
      }
    }
    return found;
  }

  private static byte[] cookieHash(byte[] tokenDigest) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN);
      return sha.digest(tokenDigest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "ViewerAccess[hidden]";
  }
}
