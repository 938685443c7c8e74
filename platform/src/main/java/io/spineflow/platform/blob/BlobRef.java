package io.spineflow.platform.blob;

import java.util.regex.Pattern;

/**
 * A store-relative, content-addressed reference to a blob: {@code sha256:<64 lowercase hex>}. It
 * names the bytes, not a place, so the same reference reads the same bytes from any backend and any
 * host that reaches the store.
 *
 * @param sha256 the SHA-256 of the blob's bytes, 64 lowercase hex digits
 */
public record BlobRef(String sha256) {
  /** The prefix of the text form. */
  public static final String SCHEME = "sha256:";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public BlobRef {
    if (sha256 == null || !HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a SHA-256 in lowercase hex: " + sha256);
    }
  }

  /** Parses {@code sha256:<hex>}; anything else is an {@link IllegalArgumentException}. */
  public static BlobRef parse(String text) {
    if (text == null || !text.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not a blob reference (sha256:<hex>): " + text);
    }
    return new BlobRef(text.substring(SCHEME.length()));
  }

  /** Whether {@code text} has the form of a reference (so it is not, say, a legacy URI). */
  public static boolean isRef(String text) {
    return text != null && text.startsWith(SCHEME);
  }

  @Override
  public String toString() {
    return SCHEME + sha256;
  }
}
