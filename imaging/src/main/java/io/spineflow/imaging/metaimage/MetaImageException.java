package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.ImageCodecException;
import java.util.Objects;

/**
 * A MetaImage that spineflow cannot or will not read, with a stable {@link ReasonCode} for the
 * dead-letter topic and the header field at fault.
 */
public final class MetaImageException extends ImageCodecException {
  private static final long serialVersionUID = 1L;

  private final ReasonCode reason;

  /**
   * @param field the header key at fault (shortened when it is longer than 60 characters, which
   *     only an unknown key can be), or null when the problem is not tied to one field (e.g. a
   *     header line that is not UTF-8)
   * @param message names the field and the expected value or the limit that was exceeded
   */
  public MetaImageException(ReasonCode reason, String field, String message) {
    super(field, message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Same, keeping the low-level cause (e.g. a zlib error). */
  public MetaImageException(ReasonCode reason, String field, String message, Throwable cause) {
    this(reason, field, message);
    initCause(cause);
  }

  @Override
  public ReasonCode reason() {
    return reason;
  }
}
