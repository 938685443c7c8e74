package io.spineflow.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time: both sides are hashed to 32 bytes
 * first, so neither the content nor the length of the token leaks through timing. Never prints the
 * token.
 */
final class BearerToken {
  private static final String SCHEME = "bearer ";
  private final byte[] expectedDigest;

  BearerToken(String token) {
    this.expectedDigest = digest(token);
  }

  /** True when {@code authorization} (the header's value, may be null) carries the token. */
  boolean matches(String authorization) {
    if (authorization == null
        || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    String presented = authorization.substring(SCHEME.length()).trim();
    return MessageDigest.isEqual(digest(presented), expectedDigest);
  }

  private static byte[] digest(String text) {
    return ContentHash.sha256().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "BearerToken[hidden]";
  }
}
