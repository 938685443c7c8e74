package io.spineflow.ingest;

/**
 * Ingest's own dead-letter reason codes, beside the MetaImage codec's {@link
 * io.spineflow.imaging.metaimage.ReasonCode} names. Published on {@code deadletter} and matched by
 * operators: never rename or reuse a constant.
 */
public enum IngestReason {
  /** The {@code studies.upload} key (or HTTP {@code uid}) is absent or empty. */
  MISSING_STUDY_UID,
  /** The study UID breaks the key contract: 1-128 characters of {@code [A-Za-z0-9._-]}. */
  INVALID_STUDY_UID,
  /** A {@code spineflow.*} header (or HTTP parameter) has a value outside its contract. */
  INVALID_HEADER,
  /** {@code spineflow.sequence} is not T1, T2, T2_SPACE (or UNKNOWN). */
  UNKNOWN_SEQUENCE,
  /** The upload carries no bytes and no claim check. */
  EMPTY_UPLOAD,
  /** A claim-checked upload cannot be read back (missing, outside the store, wrong checksum). */
  CLAIM_CHECK_INVALID,
  /** An image announced a mask ({@code spineflow.expect-mask=true}) that did not arrive in time. */
  MASK_MISSING,
  /** A mask arrived without an image announcing it, and none came in time. */
  IMAGE_MISSING,
  /**
   * A second, different image (or mask) for a study arrived while the first still waited for its
   * other part; the newer one waits instead.
   */
  PART_SUPERSEDED,
  /** The mask's grid (size, spacing, origin, direction) is not the image's. */
  GEOMETRY_MISMATCH,
  /** The mask holds floating-point voxels; a label mask has an integer element type. */
  INVALID_MASK_TYPE,
  /** The reader failed on this input in an unforeseen way (a codec bug; the input is kept). */
  UNREADABLE_IMAGE,
  /** An HTTP multipart body that cannot be parsed within the parser's bounds. */
  MALFORMED_MULTIPART,
  /**
   * A floating-point image holds NaN or infinite voxels: intensity normalisation and every metric
   * downstream would turn them into NaN masks, so they are refused at the door.
   */
  NON_FINITE_VOXELS,
  /**
   * A label declaration (classes or extent) that cannot be read, or one on a study without a mask:
   * the header, field or file at fault is named with the words it accepts.
   */
  INVALID_LABEL_DECLARATION,
  /**
   * A DICOM instance on {@code studies.upload} whose record key is not its Series Instance UID (the
   * key of its series, which keeps a series on one partition).
   */
  SERIES_KEY_MISMATCH,
  /**
   * A DICOM Segmentation whose referenced series did not arrive within {@code
   * ingest.dicom.series.retention}, or was skipped (not sagittal original MR): its labels have no
   * study to go with.
   */
  SEGMENTATION_SERIES_MISSING
}
