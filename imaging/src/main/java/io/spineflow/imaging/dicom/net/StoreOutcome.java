package io.spineflow.imaging.dicom.net;

/**
 * A C-STORE the receiver took: its status (0000, or one of the warnings B000, B006, B007 of PS3.4
 * B.2.3, the instance stored with a remark) and the transfer syntax it was sent in.
 *
 * @param errorComment the receiver's Error Comment (0000,0902), or null
 */
public record StoreOutcome(
    String sopInstanceUid, int status, String errorComment, String transferSyntax) {

  public static final int SUCCESS = 0x0000;

  /** Coercion of data elements. */
  public static final int WARNING_COERCION = 0xB000;

  /** Elements discarded. */
  public static final int WARNING_ELEMENTS_DISCARDED = 0xB006;

  /** Data set does not match SOP class. */
  public static final int WARNING_SOP_CLASS_MISMATCH = 0xB007;

  /** True for a status the sender counts as stored. */
  public static boolean stored(int status) {
    return status == SUCCESS
        || status == WARNING_COERCION
        || status == WARNING_ELEMENTS_DISCARDED
        || status == WARNING_SOP_CLASS_MISMATCH;
  }

  /** True when the receiver stored it with a warning. */
  public boolean warning() {
    return status != SUCCESS;
  }

  /** The status as the four hex digits of PS3.7. */
  public static String hex(int status) {
    return String.format("%04X", status & 0xFFFF);
  }
}
