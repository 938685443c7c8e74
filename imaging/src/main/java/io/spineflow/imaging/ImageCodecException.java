package io.spineflow.imaging;

import java.io.IOException;

/**
 * A file an image codec (MetaImage, DICOM) cannot or will not read: a stable reason code for the
 * dead-letter topic, the field at fault and a message naming it. Each codec's exception extends
 * this with its own reason codes, so every consumer handles a rejection one way.
 */
public abstract class ImageCodecException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the field at fault, or null when the problem is not tied to one
   * @param message names the field and the expected value or the limit that was exceeded
   */
  protected ImageCodecException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The codec's stable reason code. */
  public abstract Enum<?> reason();

  /** The field at fault, or null when the problem is not tied to one. */
  public String field() {
    return field;
  }
}
