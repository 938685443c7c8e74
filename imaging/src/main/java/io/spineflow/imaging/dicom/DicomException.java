package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ImageCodecException;
import java.util.Objects;

/**
 * A DICOM file that spineflow cannot or will not read, with a stable {@link ReasonCode} for the
 * dead-letter topic and the attribute at fault.
 */
public final class DicomException extends ImageCodecException {
  private static final long serialVersionUID = 1L;

  private final ReasonCode reason;

  /**
   * @param field the attribute at fault as "Keyword (gggg,eeee)" (or the limit's subject), or null
   *     when the problem is not tied to one attribute (e.g. no DICM prefix)
   * @param message names the field and the expected value or the limit that was exceeded
   */
  public DicomException(ReasonCode reason, String field, String message) {
    super(field, message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Same, keeping the low-level cause (e.g. a zlib error). */
  public DicomException(ReasonCode reason, String field, String message, Throwable cause) {
    this(reason, field, message);
    initCause(cause);
  }

  @Override
  public ReasonCode reason() {
    return reason;
  }
}
