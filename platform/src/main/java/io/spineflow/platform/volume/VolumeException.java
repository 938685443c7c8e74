package io.spineflow.platform.volume;

/** A study volume that cannot be turned into an image; carries a dead-letter reason code. */
public final class VolumeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String reasonCode;
  private final String field;

  public VolumeException(String reasonCode, String field, String message) {
    super(field + ": " + message);
    this.reasonCode = reasonCode;
    this.field = field;
  }

  public String reasonCode() {
    return reasonCode;
  }

  public String field() {
    return field;
  }
}
