package io.spineflow.ingest;

import java.util.regex.Pattern;

/**
 * The study UID contract of {@code studies.upload} keys: 1 to {@value #MAX_LENGTH} characters of
 * {@code [A-Za-z0-9._-]} (so never a '/', which separates UID and slice index downstream).
 */
public final class StudyUids {
  public static final int MAX_LENGTH = 128;

  /** The contract as a limit string for dead letters. */
  public static final String CONTRACT = "1-" + MAX_LENGTH + " characters of [A-Za-z0-9._-]";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

  /** Prefix of a UID derived from content, when an HTTP upload names none. */
  public static final String DERIVED_PREFIX = "sha256-";

  private StudyUids() {}

  public static boolean isValid(String uid) {
    return uid != null && VALID.matcher(uid).matches();
  }

  /**
   * Checks a UID.
   *
   * @param field what carried it (e.g. {@code key} or {@code uid}), for the rejection
   * @throws IngestRejection {@code MISSING_STUDY_UID} when null or empty, {@code INVALID_STUDY_UID}
   *     when it breaks the contract
   */
  public static String require(String uid, String field) throws IngestRejection {
    if (uid == null || uid.isEmpty()) {
      throw new IngestRejection(
          IngestReason.MISSING_STUDY_UID, field, CONTRACT, "the study UID is missing");
    }
    if (!isValid(uid)) {
      throw new IngestRejection(
          IngestReason.INVALID_STUDY_UID,
          field,
          CONTRACT,
          "study UID of "
              + uid.length()
              + " characters breaks the contract (letters, digits, '.', '_', '-'; at most "
              + MAX_LENGTH
              + ")");
    }
    return uid;
  }

  /**
   * The UID of an upload that named none: {@value #DERIVED_PREFIX} and the first 32 hex digits of
   * its content SHA-256, so the same content always gets the same UID (and is a duplicate the
   * second time).
   */
  public static String derive(String contentSha256) {
    return DERIVED_PREFIX + contentSha256.substring(0, 32);
  }
}
