package io.spineflow.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A shared secret that guards a door (the ingest upload, the dashboard's viewer and operator
 * tokens), checked from {@code Authorization: Bearer <token>} in constant time: both sides are
 * hashed to 32 bytes first and compared with {@link MessageDigest#isEqual}, so neither the token's
 * content nor its length leaks through timing. Never printed; {@link #identity()} names it in audit
 * records and logs without revealing it.
 */
public final class BearerToken {
  /** Shorter tokens are refused by every door: a token must not be guessable. */
  public static final int MIN_LENGTH = 16;

  private static final String SCHEME = "bearer ";
  private final byte[] expectedDigest;

  public BearerToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("a bearer token must not be empty");
    }
    this.expectedDigest = sha256(token);
  }

  /** True when {@code authorization} (the header's value; may be null) carries the token. */
  public boolean matches(String authorization) {
    if (authorization == null
        || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    return matchesSecret(authorization.substring(SCHEME.length()).trim());
  }

  /** True when {@code presented} (the bare token, e.g. from a sign-in form; may be null) is it. */
  public boolean matchesSecret(String presented) {
    return presented != null && MessageDigest.isEqual(sha256(presented), expectedDigest);
  }

  /**
   * Who presented it, for audit records: {@code token:} and the first 12 hex digits of the token's
   * SHA-256 (the same token, the same identity; the token cannot be recovered from it).
   */
  public String identity() {
    return "token:" + HexFormat.of().formatHex(expectedDigest, 0, 6);
  }

  /** The token's SHA-256 (a copy), e.g. to derive a cookie value from. */
  public byte[] digest() {
    return expectedDigest.clone();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[hidden]";
  }
}
