package io.spineflow.imaging.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Deterministic UIDs: {@code 2.25.<the first 128 bits of SHA-256 over the inputs>} (PS3.5 B.2
 * allows any 128-bit number under 2.25; pydicom's {@code generate_uid(entropy_srcs=...)} derives
 * UIDs from a hash the same way). Writing the same result twice gives the same UIDs, so a retried
 * delivery is never a second object.
 */
final class SegmentationUids {
  private SegmentationUids() {}

  /** A UID for {@code kind} (what it identifies) of the given inputs, in order. */
  static String of(String kind, String... inputs) {
    MessageDigest sha = sha256();
    update(sha, "spineflow-seg");
    update(sha, kind);
    for (String input : inputs) {
      update(sha, input);
    }
    return "2.25." + new BigInteger(1, Arrays.copyOf(sha.digest(), 16));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Length-prefixed, so ("ab", "c") and ("a", "bc") differ. */
  private static void update(MessageDigest sha, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha.update(
        new byte[] {
          (byte) (bytes.length >>> 24),
          (byte) (bytes.length >>> 16),
          (byte) (bytes.length >>> 8),
          (byte) bytes.length
        });
    sha.update(bytes);
  }
}
