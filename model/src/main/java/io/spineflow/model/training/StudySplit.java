package io.spineflow.model.training;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Assigns each study to training or validation by a stable hash of its UID, never by slice (slices
 * of one study are near-duplicates: splitting them would leak the validation set into training).
 *
 * <p>A study's {@linkplain #position position} is the first 8 bytes of SHA-256 of its UTF-8 UID
 * read as a fraction in [0, 1); it goes to validation when the position is below the validation
 * fraction. The assignment depends on nothing but the UID and the fraction: not on arrival order,
 * not on which other studies exist, not on the JVM or the machine, so a study never moves between
 * runs or restarts. Raising the fraction only moves studies from training to validation, never
 * back.
 *
 * @param validationFraction share of studies held out for validation, in [0, 1)
 */
public record StudySplit(double validationFraction) {

  /** Checks the fraction. */
  public StudySplit {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in [0, 1): " + validationFraction);
    }
  }

  /** Whether {@code studyUid} belongs to the validation set. */
  public boolean isValidation(String studyUid) {
    return position(studyUid) < validationFraction;
  }

  /** The study's fixed position in [0, 1). */
  public static double position(String studyUid) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(studyUid.getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(digest).getLong() >>> 11; // 53 bits: exact in a double
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
