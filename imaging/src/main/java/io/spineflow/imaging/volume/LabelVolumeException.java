package io.spineflow.imaging.volume;

/**
 * Slice masks that cannot be put back into a study's geometry. It carries what a dead letter needs:
 * a stable reason, the field at fault and the limit or expectation it broke, so the caller can
 * reject the study and go on with the next.
 */
public final class LabelVolumeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the masks were refused. */
  public enum Reason {
    /** The study geometry is not a 3D grid. */
    NOT_A_VOLUME,
    /** A mask's size, class bytes or affine are inconsistent. */
    INVALID_MASK,
    /**
     * A mask names a sagittal axis or source slice outside the study, or disagrees with another.
     */
    SLICE_OUT_OF_STUDY,
    /** Two masks for the same source slice. */
    DUPLICATE_SLICE,
    /** A mask's plane is not the plane of the source slice it names. */
    PLANE_MISMATCH
  }

  private final Reason reason;
  private final String field;
  private final String limit;

  public LabelVolumeException(Reason reason, String field, String limit, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
    this.limit = limit;
  }

  public Reason reason() {
    return reason;
  }

  /** The offending field, e.g. {@code mask[3].sourceSliceIndex}. */
  public String field() {
    return field;
  }

  /** The limit or expectation the field broke. */
  public String limit() {
    return limit;
  }
}
