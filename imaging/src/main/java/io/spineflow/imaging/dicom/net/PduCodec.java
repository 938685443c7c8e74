package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.net.Pdu.Abort;
import io.spineflow.imaging.dicom.net.Pdu.AssociateAccept;
import io.spineflow.imaging.dicom.net.Pdu.AssociateReject;
import io.spineflow.imaging.dicom.net.Pdu.AssociateRequest;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.Pdu.PData;
import io.spineflow.imaging.dicom.net.Pdu.Pdv;
import io.spineflow.imaging.dicom.net.Pdu.ProposedContext;
import io.spineflow.imaging.dicom.net.Pdu.ReleaseRequest;
import io.spineflow.imaging.dicom.net.Pdu.ReleaseResponse;
import io.spineflow.imaging.dicom.net.Pdu.UserInformation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes Upper Layer PDUs (PS3.8 9.3), big endian as the standard has them. Reading is
 * bounded: a PDU longer than the caller's limit is refused from its 6-byte header, before its body
 * is read; every malformed PDU is a {@link PduException}, never another exception.
 */
public final class PduCodec {
  /** Longest PDU other than P-DATA-TF: an A-ASSOCIATE-RQ proposing 128 contexts is ~15 KiB. */
  public static final int MAX_CONTROL_PDU_LENGTH = 64 << 10;

  private static final int AE_LENGTH = 16;

  private PduCodec() {}

  /**
   * Reads one PDU.
   *
   * @param maxPDataLength longest P-DATA-TF variable field accepted (what spineflow announced)
   * @return null when the stream ends cleanly before the first byte of a PDU
   * @throws PduException for a malformed or oversized PDU
   * @throws IOException when reading fails (a timeout, a reset connection)
   */
  public static Pdu read(InputStream in, long maxPDataLength) throws IOException {
    byte[] header = in.readNBytes(6);
    if (header.length == 0) {
      return null;
    }
    if (header.length < 6) {
      throw new PduException(
          PduReason.TRUNCATED_PDU,
          "the stream ended inside a PDU header (" + header.length + "/6)");
    }
    int type = header[0] & 0xFF;
    checkType(type);
    long length = u32(header, 2);
    long max = type == 0x04 ? maxPDataLength : MAX_CONTROL_PDU_LENGTH;
    if (length > max) {
      throw new PduException(
          PduReason.PDU_TOO_LARGE,
          typeName(type) + " PDU length " + length + " exceeds the limit of " + max + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new PduException(
          PduReason.TRUNCATED_PDU,
          typeName(type)
              + " PDU: the stream ended after "
              + body.length
              + " of "
              + length
              + " bytes");
    }
    return decodeBody(type, body);
  }

  /** Decodes one whole PDU held in memory (header included); trailing bytes are refused. */
  public static Pdu decode(byte[] pdu) throws PduException {
    if (pdu.length < 6) {
      throw new PduException(
          PduReason.TRUNCATED_PDU, "a PDU has at least 6 bytes, got " + pdu.length);
    }
    int type = pdu[0] & 0xFF;
    checkType(type);
    long length = u32(pdu, 2);
    if (length != pdu.length - 6) {
      throw new PduException(
          length > pdu.length - 6 ? PduReason.TRUNCATED_PDU : PduReason.INVALID_PDU_PARAMETER,
          typeName(type) + " PDU length " + length + " but " + (pdu.length - 6) + " bytes follow");
    }
    return decodeBody(type, Arrays.copyOfRange(pdu, 6, pdu.length));
  }

  private static void checkType(int type) throws PduException {
    if (type < 0x01 || type > 0x07) {
      throw new PduException(
          PduReason.UNRECOGNIZED_PDU,
          String.format("PDU type 0x%02X is not defined by PS3.8", type));
    }
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0x01 -> "A-ASSOCIATE-RQ";
      case 0x02 -> "A-ASSOCIATE-AC";
      case 0x03 -> "A-ASSOCIATE-RJ";
      case 0x04 -> "P-DATA-TF";
      case 0x05 -> "A-RELEASE-RQ";
      case 0x06 -> "A-RELEASE-RP";
      default -> "A-ABORT";
    };
  }

  private static Pdu decodeBody(int type, byte[] body) throws PduException {
    Cursor c = new Cursor(body, 0, body.length, typeName(type));
    return switch (type) {
      case 0x01, 0x02 -> decodeAssociate(type == 0x01, c);
      case 0x03 -> {
        fixed(c, 4);
        c.skip(1);
        yield new AssociateReject(c.u8(), c.u8(), c.u8());
      }
      case 0x04 -> decodePData(c);
      case 0x05 -> {
        fixed(c, 4);
        yield new ReleaseRequest();
      }
      case 0x06 -> {
        fixed(c, 4);
        yield new ReleaseResponse();
      }
      default -> {
        fixed(c, 4);
        c.skip(2);
        yield new Abort(c.u8(), c.u8());
      }
    };
  }

  private static void fixed(Cursor c, int length) throws PduException {
    if (c.remaining() != length) {
      throw new PduException(
          PduReason.INVALID_PDU_PARAMETER,
          c.what + " PDU length must be " + length + ", got " + c.remaining());
    }
  }

  private static Pdu decodeAssociate(boolean request, Cursor c) throws PduException {
    int version = c.u16();
    c.skip(2);
    String called = c.ascii(AE_LENGTH).strip();
    String calling = c.ascii(AE_LENGTH).strip();
    c.skip(32);
    String applicationContext = null;
    List<ProposedContext> proposed = new ArrayList<>();
    List<ContextResult> results = new ArrayList<>();
    UserInformation user = null;
    while (c.remaining() > 0) {
      int itemType = c.u8();
      c.skip(1);
      Cursor item = c.sub(c.u16(), String.format("item 0x%02X", itemType));
      switch (itemType) {
        case 0x10 -> {
          if (applicationContext != null) {
            throw unexpected(c, "a second application context item");
          }
          applicationContext = uid(item.ascii(item.remaining()));
        }
        case 0x20 -> {
          if (!request) {
            throw unexpected(c, "a proposed presentation context (0x20) in an A-ASSOCIATE-AC");
          }
          proposed.add(decodeProposed(item));
        }
        case 0x21 -> {
          if (request) {
            throw unexpected(c, "a presentation context result (0x21) in an A-ASSOCIATE-RQ");
          }
          results.add(decodeResult(item));
        }
        case 0x50 -> {
          if (user != null) {
            throw unexpected(c, "a second user information item");
          }
          user = decodeUser(item);
        }
        default ->
            throw new PduException(
                PduReason.UNRECOGNIZED_PDU_PARAMETER,
                String.format("%s: item type 0x%02X is not defined by PS3.8", c.what, itemType));
      }
    }
    if (applicationContext == null) {
      throw new PduException(
          PduReason.INVALID_PDU_PARAMETER, c.what + " has no application context item (0x10)");
    }
    if (user == null) {
      // Required by PS3.7 D.3.3, but an SCU that leaves it out sends no limit: take it as 0.
      user = new UserInformation(0, "", null);
    }
    return request
        ? new AssociateRequest(version, called, calling, applicationContext, proposed, user)
        : new AssociateAccept(version, called, calling, applicationContext, results, user);
  }

  private static PduException unexpected(Cursor c, String what) {
    return new PduException(PduReason.UNEXPECTED_PDU_PARAMETER, c.what + ": " + what);
  }

  private static ProposedContext decodeProposed(Cursor item) throws PduException {
    int id = item.u8();
    item.skip(3);
    String abstractSyntax = null;
    List<String> transferSyntaxes = new ArrayList<>();
    while (item.remaining() > 0) {
      int subType = item.u8();
      item.skip(1);
      Cursor sub = item.sub(item.u16(), String.format("sub-item 0x%02X", subType));
      String value = uid(sub.ascii(sub.remaining()));
      if (subType == 0x30) {
        if (abstractSyntax != null) {
          throw unexpected(item, "presentation context " + id + " has two abstract syntaxes");
        }
        abstractSyntax = value;
      } else if (subType == 0x40) {
        transferSyntaxes.add(value);
      } else {
        throw new PduException(
            PduReason.UNRECOGNIZED_PDU_PARAMETER,
            String.format(
                "presentation context %d: sub-item type 0x%02X is not defined", id, subType));
      }
    }
    if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
      throw new PduException(
          PduReason.INVALID_PDU_PARAMETER,
          "presentation context "
              + id
              + " needs one abstract syntax and at least one transfer syntax");
    }
    return new ProposedContext(id, abstractSyntax, transferSyntaxes);
  }

  private static ContextResult decodeResult(Cursor item) throws PduException {
    int id = item.u8();
    item.skip(1);
    int result = item.u8();
    item.skip(1);
    String transferSyntax = "";
    while (item.remaining() > 0) {
      int subType = item.u8();
      item.skip(1);
      Cursor sub = item.sub(item.u16(), String.format("sub-item 0x%02X", subType));
      if (subType == 0x40) {
        transferSyntax = uid(sub.ascii(sub.remaining()));
      }
    }
    return new ContextResult(id, result, transferSyntax);
  }

  private static UserInformation decodeUser(Cursor item) throws PduException {
    long maxLength = 0;
    String classUid = "";
    String versionName = null;
    while (item.remaining() > 0) {
      int subType = item.u8();
      item.skip(1);
      Cursor sub = item.sub(item.u16(), String.format("user information sub-item 0x%02X", subType));
      switch (subType) {
        case 0x51 -> {
          if (sub.remaining() != 4) {
            throw new PduException(
                PduReason.INVALID_PDU_PARAMETER,
                "maximum length sub-item (0x51) must hold 4 bytes, got " + sub.remaining());
          }
          maxLength = sub.u32();
        }
        case 0x52 -> classUid = uid(sub.ascii(sub.remaining()));
        case 0x55 -> versionName = sub.ascii(sub.remaining()).strip();
        default -> {
          // Asynchronous operations, role selection, extended negotiation, user identity: spineflow
          // offers none of them, and PS3.7 D.3.3 lets an acceptor leave them unanswered.
        }
      }
    }
    return new UserInformation(maxLength, classUid, versionName);
  }

  private static PData decodePData(Cursor c) throws PduException {
    List<Pdv> pdvs = new ArrayList<>();
    while (c.remaining() > 0) {
      long length = c.u32();
      if (length < 2) {
        throw new PduException(
            PduReason.INVALID_PDU_PARAMETER,
            "a PDV item's length must be at least 2, got " + length);
      }
      if (length > c.remaining()) {
        throw new PduException(
            PduReason.TRUNCATED_PDU,
            "a PDV item's length "
                + length
                + " runs past its P-DATA-TF ("
                + c.remaining()
                + " left)");
      }
      int contextId = c.u8();
      int control = c.u8();
      byte[] data = c.bytes((int) length - 2);
      pdvs.add(new Pdv(contextId, (control & 1) != 0, (control & 2) != 0, data));
    }
    if (pdvs.isEmpty()) {
      throw new PduException(PduReason.INVALID_PDU_PARAMETER, "a P-DATA-TF PDU without a PDV item");
    }
    return new PData(pdvs);
  }

  /** UIDs may be padded with a NUL or a space to an even length. */
  private static String uid(String raw) {
    int end = raw.length();
    while (end > 0 && (raw.charAt(end - 1) == 0 || raw.charAt(end - 1) == ' ')) {
      end--;
    }
    return raw.substring(0, end).strip();
  }

  /** The PDU's bytes, header included. */
  public static byte[] encode(Pdu pdu) {
    // Java 17: no pattern matching in switch, so an instanceof chain over the sealed type.
    if (pdu instanceof AssociateRequest rq) {
      return associate(0x01, rq.protocolVersion(), rq.calledAe(), rq.callingAe(), items(rq));
    }
    if (pdu instanceof AssociateAccept ac) {
      return associate(0x02, ac.protocolVersion(), ac.calledAe(), ac.callingAe(), items(ac));
    }
    if (pdu instanceof AssociateReject rj) {
      return frame(
          0x03, new byte[] {0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()});
    }
    if (pdu instanceof PData data) {
      return frame(0x04, pdvs(data));
    }
    if (pdu instanceof ReleaseRequest) {
      return frame(0x05, new byte[4]);
    }
    if (pdu instanceof ReleaseResponse) {
      return frame(0x06, new byte[4]);
    }
    Abort abort = (Abort) pdu;
    return frame(0x07, new byte[] {0, 0, (byte) abort.source(), (byte) abort.reason()});
  }

  private static byte[] items(AssociateRequest rq) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    item(out, 0x10, ascii(rq.applicationContext()));
    for (ProposedContext pc : rq.contexts()) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      value.writeBytes(new byte[] {(byte) pc.id(), 0, 0, 0});
      item(value, 0x30, ascii(pc.abstractSyntax()));
      for (String ts : pc.transferSyntaxes()) {
        item(value, 0x40, ascii(ts));
      }
      item(out, 0x20, value.toByteArray());
    }
    item(out, 0x50, user(rq.userInformation()));
    return out.toByteArray();
  }

  private static byte[] items(AssociateAccept ac) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    item(out, 0x10, ascii(ac.applicationContext()));
    for (ContextResult pc : ac.contexts()) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      value.writeBytes(new byte[] {(byte) pc.id(), 0, (byte) pc.result(), 0});
      item(value, 0x40, ascii(pc.transferSyntax()));
      item(out, 0x21, value.toByteArray());
    }
    item(out, 0x50, user(ac.userInformation()));
    return out.toByteArray();
  }

  private static byte[] user(UserInformation user) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long max = user.maxPduLength();
    item(
        out,
        0x51,
        new byte[] {(byte) (max >>> 24), (byte) (max >>> 16), (byte) (max >>> 8), (byte) max});
    item(out, 0x52, ascii(user.implementationClassUid()));
    if (user.implementationVersionName() != null) {
      item(out, 0x55, ascii(user.implementationVersionName()));
    }
    return out.toByteArray();
  }

  private static byte[] associate(
      int type, int version, String called, String calling, byte[] items) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(68 + items.length);
    body.writeBytes(new byte[] {(byte) (version >>> 8), (byte) version, 0, 0});
    body.writeBytes(aeTitle(called));
    body.writeBytes(aeTitle(calling));
    body.writeBytes(new byte[32]);
    body.writeBytes(items);
    return frame(type, body.toByteArray());
  }

  private static byte[] pdvs(PData data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Pdv pdv : data.pdvs()) {
      int length = pdv.data().length + 2;
      out.writeBytes(be32(length));
      out.write(pdv.contextId());
      out.write((pdv.command() ? 1 : 0) | (pdv.last() ? 2 : 0));
      out.writeBytes(pdv.data());
    }
    return out.toByteArray();
  }

  private static void item(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type);
    out.write(0);
    out.write(value.length >>> 8);
    out.write(value.length);
    out.writeBytes(value);
  }

  private static byte[] frame(int type, byte[] body) {
    byte[] pdu = new byte[6 + body.length];
    pdu[0] = (byte) type;
    System.arraycopy(be32(body.length), 0, pdu, 2, 4);
    System.arraycopy(body, 0, pdu, 6, body.length);
    return pdu;
  }

  private static byte[] aeTitle(String title) {
    byte[] padded = new byte[AE_LENGTH];
    Arrays.fill(padded, (byte) ' ');
    byte[] ascii = ascii(title);
    System.arraycopy(ascii, 0, padded, 0, Math.min(ascii.length, AE_LENGTH));
    return padded;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] be32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24)
        | ((b[at + 1] & 0xFFL) << 16)
        | ((b[at + 2] & 0xFFL) << 8)
        | (b[at + 3] & 0xFFL);
  }

  /** A bounded view of a PDU body; every read past its end is a {@link PduReason#TRUNCATED_PDU}. */
  private static final class Cursor {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final String what;

    Cursor(byte[] buf, int pos, int end, String what) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
      this.what = what;
    }

    int remaining() {
      return end - pos;
    }

    private void need(long n) throws PduException {
      if (n > remaining()) {
        throw new PduException(
            PduReason.TRUNCATED_PDU,
            what + ": " + n + " bytes needed at offset " + pos + ", " + remaining() + " left");
      }
    }

    void skip(int n) throws PduException {
      need(n);
      pos += n;
    }

    int u8() throws PduException {
      need(1);
      return buf[pos++] & 0xFF;
    }

    int u16() throws PduException {
      need(2);
      int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
      pos += 2;
      return v;
    }

    long u32() throws PduException {
      need(4);
      long v = PduCodec.u32(buf, pos);
      pos += 4;
      return v;
    }

    byte[] bytes(int n) throws PduException {
      need(n);
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    String ascii(int n) throws PduException {
      need(n);
      // ISO 8859-1 maps every byte to one char, so a non-ASCII title is kept (and then not
      // recognised) rather than decoded into replacement characters.
      String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
      pos += n;
      return s;
    }

    Cursor sub(int n, String name) throws PduException {
      need(n);
      Cursor sub = new Cursor(buf, pos, pos + n, what + " " + name);
      pos += n;
      return sub;
    }
  }
}
