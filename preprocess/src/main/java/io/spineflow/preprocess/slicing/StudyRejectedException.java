package io.spineflow.preprocess.slicing;

/**
 * A study the preprocessing cannot turn into slices. It carries what a dead letter needs: a stable
 * reason code, the offending field and the limit or expectation it broke.
 */
public final class StudyRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The image is not 3D, or too thin in-plane, so it has no stack of sagittal slices. */
  public static final String NO_SAGITTAL_AXIS = "NO_SAGITTAL_AXIS";

  /** The label mask is not on the image's voxel grid (size, spacing, origin or direction). */
  public static final String GEOMETRY_MISMATCH = "GEOMETRY_MISMATCH";

  /** The label mask holds a value outside SPIDER's label ranges. */
  public static final String UNKNOWN_LABEL_VALUE = "UNKNOWN_LABEL_VALUE";

  /** The image holds NaN or infinite intensities. */
  public static final String NON_FINITE_INTENSITY = "NON_FINITE_INTENSITY";

  private final String reasonCode;
  private final String field;
  private final String limit;

  public StudyRejectedException(String reasonCode, String field, String limit, String message) {
    super(message);
    this.reasonCode = reasonCode;
    this.field = field;
    this.limit = limit;
  }

  public String reasonCode() {
    return reasonCode;
  }

  /** The offending field, e.g. {@code label.spacing}. */
  public String field() {
    return field;
  }

  /** The limit or expectation the field broke. */
  public String limit() {
    return limit;
  }
}
