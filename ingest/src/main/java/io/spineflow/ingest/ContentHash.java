package io.spineflow.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content hash of a study, with its UID the idempotency key: hex SHA-256 of the image bytes as
 * received, followed by the mask bytes when there is a mask.
 */
public final class ContentHash {
  private ContentHash() {}

  /**
   * @param mask null when the study has no mask
   */
  public static String of(byte[] image, byte[] mask) {
    MessageDigest digest = sha256();
    digest.update(image);
    if (mask != null) {
      digest.update(mask);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
