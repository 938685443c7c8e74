package io.spineflow.imaging.dicom.net;

/**
 * Why the SCP itself refused an instance before handing it to the sink, with the C-STORE status it
 * answers (PS3.4 B.2.3 for the storage statuses, PS3.7 C for 0122). An instance the SCP hands over
 * and the sink refuses is answered with the sink's status instead (C000, or A700 when spineflow
 * cannot take it now). The constant names are a stable contract (dead letters, metrics): never
 * rename or reuse one.
 */
public enum StoreReason {
  /**
   * The data set is longer than the SCP's limit ({@code StoreScpConfig.maxInstanceBytes}): A700,
   * Refused: Out of Resources. A resource limit of this SCP, so a router may retry once the
   * operator raised it.
   */
  INSTANCE_TOO_LARGE(0xA700),
  /**
   * The command's Affected SOP Class UID is not the abstract syntax of the presentation context it
   * came on: 0122, Refused: SOP Class not supported.
   */
  SOP_CLASS_NOT_NEGOTIATED(0x0122),
  /**
   * The data set's SOP Class UID (0008,0016) is not the command's Affected SOP Class UID: A900,
   * Error: Data Set does not match SOP Class.
   */
  SOP_CLASS_MISMATCH(0xA900),
  /**
   * The data set's SOP Instance UID (0008,0018) is not the command's Affected SOP Instance UID:
   * C001, Error: Cannot understand (which UID would identify the instance?).
   */
  SOP_INSTANCE_MISMATCH(0xC001),
  /**
   * The C-STORE-RQ has no data set, or no Affected SOP Class or Instance UID: C002, Error: Cannot
   * understand.
   */
  MALFORMED_STORE_REQUEST(0xC002),
  /** The sink failed in an unforeseen way (a bug): 0110, Processing failure. */
  PROCESSING_FAILURE(0x0110);

  private final int status;

  StoreReason(int status) {
    this.status = status;
  }

  /** The C-STORE-RSP Status (0000,0900). */
  public int status() {
    return status;
  }
}
