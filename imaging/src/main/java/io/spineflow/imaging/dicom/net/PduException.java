package io.spineflow.imaging.dicom.net;

import java.io.IOException;
import java.util.Objects;

/**
 * A PDU or DIMSE message the SCP cannot accept: the association is aborted with {@link
 * PduReason#abortReason()}. The PDU parser throws nothing else, whatever the bytes.
 */
public final class PduException extends IOException {
  private static final long serialVersionUID = 1L;

  private final PduReason reason;

  /**
   * @param message names the PDU, item or field at fault and the value or limit
   */
  public PduException(PduReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PduReason reason() {
    return reason;
  }
}
