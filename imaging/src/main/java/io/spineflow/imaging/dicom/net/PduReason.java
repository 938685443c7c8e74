package io.spineflow.imaging.dicom.net;

/**
 * Why the C-STORE SCP aborted an association (or refused a PDU), with the A-ABORT reason it sends
 * (PS3.8 9.3.8: source 2, the service provider). The constant names are a stable contract (logs,
 * events, metrics): never rename or reuse one.
 */
public enum PduReason {
  /** The stream ended inside a PDU, or an item or sub-item runs past the end of its parent. */
  TRUNCATED_PDU(0),
  /** A PDU type that is not one of the seven of PS3.8 9.3 (the first byte of a garbage PDU). */
  UNRECOGNIZED_PDU(1),
  /** A known PDU in the wrong state: P-DATA before the association, a second A-ASSOCIATE-RQ. */
  UNEXPECTED_PDU(2),
  /** An item type in an A-ASSOCIATE PDU that PS3.8 does not define at that place. */
  UNRECOGNIZED_PDU_PARAMETER(4),
  /** A known item where it does not belong: a second application context, two abstract syntaxes. */
  UNEXPECTED_PDU_PARAMETER(5),
  /** A field's value is impossible: an even presentation context ID, a PDV shorter than 2 bytes. */
  INVALID_PDU_PARAMETER(6),
  /** The PDU is longer than the limit: the maximum PDU length spineflow announced, or 64 KiB. */
  PDU_TOO_LARGE(6),
  /** A PDV names a presentation context that was not accepted on this association. */
  UNKNOWN_PRESENTATION_CONTEXT(6),
  /**
   * The DIMSE message cannot be understood: a command set that is not group 0000 in Implicit VR
   * Little Endian, a data fragment before its command, a response where a request belongs.
   */
  MALFORMED_DIMSE(0),
  /** No PDU within the ARTIM timeout (before A-ASSOCIATE-RQ) or the idle timeout (afterwards). */
  TIMEOUT(0);

  private final int abortReason;

  PduReason(int abortReason) {
    this.abortReason = abortReason;
  }

  /** The A-ABORT reason/diagnostic value (PS3.8 table 9-26) for this problem. */
  public int abortReason() {
    return abortReason;
  }
}
