package io.spineflow.dashboard.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * The operator token that guards "Retrain now", checked from an {@code Authorization: Bearer
 * <token>} header in constant time: both sides are hashed to 32 bytes first and compared with
 * {@link MessageDigest#isEqual}, so neither the token's content nor its length leaks through
 * timing. Never printed.
 */
public final class OperatorToken {
  private static final String SCHEME = "bearer ";
  private final byte[] expectedDigest;

  public OperatorToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the operator token must not be empty");
    }
    this.expectedDigest = digest(token);
  }

  /** True when {@code authorization} (the header's value; may be null) carries the token. */
  public boolean matches(String authorization) {
    if (authorization == null
        || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    String presented = authorization.substring(SCHEME.length()).trim();
    return MessageDigest.isEqual(digest(presented), expectedDigest);
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "OperatorToken[hidden]";
  }
}
