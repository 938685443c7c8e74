package io.spineflow.imaging.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (PS3.7 9.1, E.1): group 0000 elements, always in Implicit VR Little Endian
 * whatever the presentation context's transfer syntax. Only the elements the SCP reads or writes
 * have accessors; the others are kept as read and ignored.
 */
public final class DimseCommand {
  public static final int C_STORE_RQ = 0x0001;
  public static final int C_STORE_RSP = 0x8001;
  public static final int C_ECHO_RQ = 0x0030;
  public static final int C_ECHO_RSP = 0x8030;
  public static final int C_CANCEL_RQ = 0x0FFF;

  /** Command Data Set Type (0000,0800) value meaning "no data set follows". */
  public static final int NO_DATA_SET = 0x0101;

  /** The longest command set accepted: real ones are ~200 bytes. */
  public static final int MAX_COMMAND_BYTES = 64 << 10;

  static final int AFFECTED_SOP_CLASS_UID = 0x0002;
  static final int COMMAND_FIELD = 0x0100;
  static final int MESSAGE_ID = 0x0110;
  static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x0120;
  static final int PRIORITY = 0x0700;
  static final int COMMAND_DATA_SET_TYPE = 0x0800;
  static final int STATUS = 0x0900;
  static final int ERROR_COMMENT = 0x0902;
  static final int AFFECTED_SOP_INSTANCE_UID = 0x1000;

  /** Element number (group 0000) to raw value. */
  private final TreeMap<Integer, byte[]> elements = new TreeMap<>();

  private DimseCommand() {}

  /**
   * Reads a command set.
   *
   * @throws PduException ({@link PduReason#MALFORMED_DIMSE}) when an element is not group 0000,
   *     runs past the end, or Command Field is absent
   */
  public static DimseCommand decode(byte[] bytes) throws PduException {
    DimseCommand command = new DimseCommand();
    int pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < 8) {
        throw malformed("the command set ends inside an element header at offset " + pos);
      }
      int group = u16(bytes, pos);
      int element = u16(bytes, pos + 2);
      long length = u32(bytes, pos + 4);
      pos += 8;
      if (group != 0x0000) {
        throw malformed(
            String.format(
                "element (%04X,%04X) in a command set, which holds only group 0000",
                group, element));
      }
      if (length > bytes.length - pos) {
        throw malformed(
            String.format(
                "element (0000,%04X) declares %d bytes, %d follow",
                element, length, bytes.length - pos));
      }
      command.elements.put(element, java.util.Arrays.copyOfRange(bytes, pos, pos + (int) length));
      pos += (int) length;
    }
    if (!command.elements.containsKey(COMMAND_FIELD)) {
      throw malformed("the command set has no Command Field (0000,0100)");
    }
    return command;
  }

  private static PduException malformed(String message) {
    return new PduException(PduReason.MALFORMED_DIMSE, message);
  }

  /** A response to {@code request}: Command Field with bit 15 set, its Message ID, no data set. */
  public static DimseCommand response(DimseCommand request, int status) {
    DimseCommand rsp = new DimseCommand();
    rsp.putUs(COMMAND_FIELD, request.commandField() | 0x8000);
    rsp.putUs(MESSAGE_ID_BEING_RESPONDED_TO, request.messageId());
    rsp.putUs(COMMAND_DATA_SET_TYPE, NO_DATA_SET);
    rsp.putUs(STATUS, status);
    String sopClass = request.affectedSopClassUid();
    if (sopClass != null) {
      rsp.putUid(AFFECTED_SOP_CLASS_UID, sopClass);
    }
    String sopInstance = request.affectedSopInstanceUid();
    if (sopInstance != null) {
      rsp.putUid(AFFECTED_SOP_INSTANCE_UID, sopInstance);
    }
    return rsp;
  }

  /** A request (for clients and tests). */
  public static DimseCommand request(
      int commandField, int messageId, String sopClassUid, String sopInstanceUid, boolean dataSet) {
    DimseCommand rq = new DimseCommand();
    rq.putUs(COMMAND_FIELD, commandField);
    rq.putUs(MESSAGE_ID, messageId);
    rq.putUs(COMMAND_DATA_SET_TYPE, dataSet ? 0x0000 : NO_DATA_SET);
    if (sopClassUid != null) {
      rq.putUid(AFFECTED_SOP_CLASS_UID, sopClassUid);
    }
    if (sopInstanceUid != null) {
      rq.putUid(AFFECTED_SOP_INSTANCE_UID, sopInstanceUid);
    }
    if (commandField == C_STORE_RQ) {
      rq.putUs(PRIORITY, 0);
    }
    return rq;
  }

  /**
   * With Error Comment (0000,0902): LO, at most 64 characters of the default repertoire without
   * backslash or control characters (PS3.5 6.2), so the text is cleaned and cut.
   */
  public DimseCommand withErrorComment(String comment) {
    StringBuilder clean = new StringBuilder();
    for (char ch : comment.toCharArray()) {
      if (clean.length() == 64) {
        break;
      }
      clean.append(ch >= 0x20 && ch < 0x7F && ch != '\\' ? ch : '?');
    }
    elements.put(
        ERROR_COMMENT,
        pad(clean.toString().strip().getBytes(StandardCharsets.US_ASCII), (byte) ' '));
    return this;
  }

  /** The encoded command set, Command Group Length (0000,0000) first. */
  public byte[] encode() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
      if (e.getKey() != 0x0000) {
        writeElement(body, e.getKey(), e.getValue());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(12 + body.size());
    writeElement(out, 0x0000, le32(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  public int commandField() {
    return us(COMMAND_FIELD, -1);
  }

  public int messageId() {
    return us(MESSAGE_ID, 0);
  }

  public int messageIdBeingRespondedTo() {
    return us(MESSAGE_ID_BEING_RESPONDED_TO, 0);
  }

  /** Whether a data set follows the command (Command Data Set Type other than 0101H). */
  public boolean hasDataSet() {
    return us(COMMAND_DATA_SET_TYPE, NO_DATA_SET) != NO_DATA_SET;
  }

  /** Status (0000,0900), or -1 when absent (a request). */
  public int status() {
    return us(STATUS, -1);
  }

  /** Null when absent. */
  public String affectedSopClassUid() {
    return text(AFFECTED_SOP_CLASS_UID);
  }

  /** Null when absent. */
  public String affectedSopInstanceUid() {
    return text(AFFECTED_SOP_INSTANCE_UID);
  }

  /** Null when absent. */
  public String errorComment() {
    return text(ERROR_COMMENT);
  }

  /** Whether Command Field says a response (bit 15). */
  public boolean isResponse() {
    return (commandField() & 0x8000) != 0;
  }

  private int us(int element, int absent) {
    byte[] v = elements.get(element);
    return v == null || v.length < 2 ? absent : u16(v, 0);
  }

  private String text(int element) {
    byte[] v = elements.get(element);
    if (v == null) {
      return null;
    }
    String s = new String(v, StandardCharsets.ISO_8859_1);
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
      end--;
    }
    return s.substring(0, end).strip();
  }

  private void putUs(int element, int value) {
    elements.put(element, new byte[] {(byte) value, (byte) (value >>> 8)});
  }

  private void putUid(int element, String uid) {
    elements.put(element, pad(uid.getBytes(StandardCharsets.US_ASCII), (byte) 0));
  }

  private static byte[] pad(byte[] value, byte padding) {
    if (value.length % 2 == 0) {
      return value;
    }
    byte[] padded = java.util.Arrays.copyOf(value, value.length + 1);
    padded[value.length] = padding;
    return padded;
  }

  private static void writeElement(ByteArrayOutputStream out, int element, byte[] value) {
    out.writeBytes(new byte[] {0, 0, (byte) element, (byte) (element >>> 8)});
    out.writeBytes(le32(value.length));
    out.writeBytes(value);
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL)
        | ((b[at + 1] & 0xFFL) << 8)
        | ((b[at + 2] & 0xFFL) << 16)
        | ((b[at + 3] & 0xFFL) << 24);
  }

  @Override
  public String toString() {
    return String.format(
        "DimseCommand[field=%04X, messageId=%d, status=%d]", commandField(), messageId(), status());
  }
}
