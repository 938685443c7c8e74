package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ImageCodecException;
import java.util.Objects;

/**
 * An MR instance or series that cannot become a volume, with a stable {@link SeriesReason} for the
 * dead-letter topic and the attribute at fault. Messages name attributes, instance numbers and
 * positions, never patient attributes.
 */
public final class SeriesException extends ImageCodecException {
  private static final long serialVersionUID = 1L;

  private final SeriesReason reason;

  /**
   * @param field the attribute at fault as "Keyword (gggg,eeee)", or null
   */
  public SeriesException(SeriesReason reason, String field, String message) {
    super(field, message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public SeriesException(SeriesReason reason, DicomTag tag, String message) {
    this(reason, tag.field(), message);
  }

  @Override
  public SeriesReason reason() {
    return reason;
  }
}
