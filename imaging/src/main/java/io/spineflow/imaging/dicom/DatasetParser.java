package io.spineflow.imaging.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the elements of one encoding (implicit or explicit VR, little or big endian) from a byte
 * array, with sequences and encapsulated Pixel Data, within {@link DicomLimits}. Every length is
 * checked against the bytes that remain before anything is allocated, so a hostile length can only
 * cause a {@link ReasonCode#TRUNCATED_DATA}. One parser reads one file (it counts items).
 */
final class DatasetParser {
  static final int ITEM = 0xFFFEE000;
  static final int ITEM_DELIMITATION = 0xFFFEE00D;
  static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
  private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

  private final byte[] bytes;
  private final DicomLimits limits;
  private int position;
  private int items;
  private Charset charset = StandardCharsets.ISO_8859_1;

  /** The header of the element at {@link #position}. */
  private record Header(int tag, VR vr, long length) {}

  DatasetParser(byte[] bytes, int start, DicomLimits limits) {
    this.bytes = bytes;
    this.position = start;
    this.limits = limits;
  }

  int position() {
    return position;
  }

  /** The tag at the current position read in little endian, or -1 if fewer than 4 bytes remain. */
  int peekTagLittleEndian() {
    if (bytes.length - position < 4) {
      return -1;
    }
    return readTag(false);
  }

  /**
   * Reads elements up to the end of the input (the top-level data set), or, with {@code group2},
   * only while their group is 0002 (the file meta group, which ends where the data set starts).
   */
  DataSet parseTopLevel(Syntax syntax, boolean group2) throws DicomException {
    Map<Integer, DataElement> elements = new LinkedHashMap<>();
    while (position < bytes.length) {
      if (group2 && (bytes.length - position < 4 || readTag(false) >>> 16 != 0x0002)) {
        break;
      }
      DataElement e = parseElement(syntax, bytes.length, 0);
      put(elements, e);
      if (!group2 && e.tag() == DicomTag.SPECIFIC_CHARACTER_SET.tag()) {
        charset = CharacterSets.of(e.value());
      }
    }
    return new DataSet(elements, syntax.bigEndian(), charset);
  }

  /**
   * The items of a sequence kept as an undefined-VR value: a defined-length {@link VR#UN} element
   * (an implicit VR file's sequence the dictionary does not know, or an explicit VR file's UN
   * sequence, whose contents are implicit VR little endian by CP-246).
   */
  static List<DataSet> implicitItems(byte[] value, int sequenceTag, DicomLimits limits)
      throws DicomException {
    return new DatasetParser(value, 0, limits)
        .parseItems(Syntax.IMPLICIT_LE, value.length, false, 1, sequenceTag);
  }

  /** Whether explicit VR and which byte order; implicit VR is always little endian. */
  record Syntax(boolean explicit, boolean bigEndian) {
    static final Syntax IMPLICIT_LE = new Syntax(false, false);
    static final Syntax EXPLICIT_LE = new Syntax(true, false);
    static final Syntax EXPLICIT_BE = new Syntax(true, true);
  }

  private static void put(Map<Integer, DataElement> elements, DataElement e) throws DicomException {
    if (elements.putIfAbsent(e.tag(), e) != null) {
      String field = DicomTag.field(e.tag());
      throw new DicomException(
          ReasonCode.DUPLICATE_ELEMENT, field, field + ": appears twice in one data set");
    }
  }

  private DataElement parseElement(Syntax syntax, int end, int depth) throws DicomException {
    Header h = readHeader(syntax, end);
    if (h.tag >>> 16 == 0xFFFE) {
      throw malformed(h.tag, "an item or delimiter where a data element belongs");
    }
    if (h.length == UNDEFINED_LENGTH) {
      return parseUndefinedLength(h, syntax, end, depth);
    }
    requireAvailable(h.tag, h.length, end);
    int length = (int) h.length;
    if (h.vr == VR.SQ) {
      int stop = position + length;
      List<DataSet> seq = parseItems(syntax, stop, false, depth + 1, h.tag);
      return DataElement.ofItems(h.tag, h.vr, seq);
    }
    if (length > limits.maxElementBytes() && !isPixelData(h.tag)) {
      String field = DicomTag.field(h.tag);
      throw new DicomException(
          ReasonCode.ELEMENT_TOO_LARGE,
          field,
          field
              + ": "
              + length
              + " bytes, more than "
              + limits.maxElementBytes()
              + " (DicomLimits.maxElementBytes)");
    }
    byte[] value = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return DataElement.ofValue(h.tag, h.vr, value);
  }

  private static boolean isPixelData(int tag) {
    return tag == DicomTag.PIXEL_DATA.tag()
        || tag == DicomTag.FLOAT_PIXEL_DATA.tag()
        || tag == DicomTag.DOUBLE_FLOAT_PIXEL_DATA.tag();
  }

  private DataElement parseUndefinedLength(Header h, Syntax syntax, int end, int depth)
      throws DicomException {
    if (h.tag == DicomTag.PIXEL_DATA.tag() && (h.vr == VR.OB || h.vr == VR.OW || h.vr == VR.UN)) {
      return DataElement.ofFragments(h.tag, h.vr, parseFragments(syntax, end, depth));
    }
    if (h.vr == VR.SQ) {
      return DataElement.ofItems(h.tag, h.vr, parseItems(syntax, end, true, depth + 1, h.tag));
    }
    if (h.vr == VR.UN) {
      // CP-246: an undefined-length UN is a sequence whose contents are implicit VR little endian.
      List<DataSet> seq = parseItems(Syntax.IMPLICIT_LE, end, true, depth + 1, h.tag);
      return DataElement.ofItems(h.tag, VR.SQ, seq);
    }
    throw malformed(h.tag, "undefined length on a " + h.vr + " element");
  }

  /**
   * Items up to {@code end} (defined-length sequence) or up to a sequence delimiter ({@code
   * undefined}).
   */
  private List<DataSet> parseItems(
      Syntax syntax, int end, boolean undefined, int depth, int sequenceTag) throws DicomException {
    if (depth > limits.maxDepth()) {
      String field = DicomTag.field(sequenceTag);
      throw new DicomException(
          ReasonCode.NESTING_TOO_DEEP,
          field,
          field + ": sequences nest deeper than " + limits.maxDepth() + " (DicomLimits.maxDepth)");
    }
    List<DataSet> seq = new ArrayList<>();
    while (undefined || position < end) {
      int tag = readItemTag(syntax, end, sequenceTag);
      long length = readUnsigned32(syntax.bigEndian());
      if (tag == SEQUENCE_DELIMITATION && undefined) {
        return seq;
      }
      if (tag != ITEM) {
        throw badSequence(sequenceTag, "item (FFFE,E000) expected, got " + DicomTag.hex(tag));
      }
      countItem(sequenceTag);
      seq.add(parseItem(syntax, length, end, depth, sequenceTag));
    }
    return seq;
  }

  private DataSet parseItem(Syntax syntax, long length, int end, int depth, int sequenceTag)
      throws DicomException {
    Map<Integer, DataElement> elements = new LinkedHashMap<>();
    if (length == UNDEFINED_LENGTH) {
      while (true) {
        if (end - position >= 4 && readTag(syntax.bigEndian()) == ITEM_DELIMITATION) {
          position += 8; // the delimiter and its (zero) length
          return new DataSet(elements, syntax.bigEndian(), charset);
        }
        if (position >= end) {
          throw truncatedIn(sequenceTag, "an item has no item delimiter (FFFE,E00D)");
        }
        put(elements, parseElement(syntax, end, depth));
      }
    }
    requireAvailable(sequenceTag, length, end);
    int stop = position + (int) length;
    while (position < stop) {
      put(elements, parseElement(syntax, stop, depth));
    }
    return new DataSet(elements, syntax.bigEndian(), charset);
  }

  /** Encapsulated Pixel Data: items of bytes up to the sequence delimiter. */
  private List<byte[]> parseFragments(Syntax syntax, int end, int depth) throws DicomException {
    int pixelData = DicomTag.PIXEL_DATA.tag();
    List<byte[]> fragments = new ArrayList<>();
    while (true) {
      int tag = readItemTag(syntax, end, pixelData);
      long length = readUnsigned32(syntax.bigEndian());
      if (tag == SEQUENCE_DELIMITATION) {
        if (fragments.isEmpty()) {
          throw badSequence(pixelData, "no Basic Offset Table item before the delimiter");
        }
        return fragments;
      }
      if (tag != ITEM || length == UNDEFINED_LENGTH) {
        throw badSequence(pixelData, "fragment item of defined length expected");
      }
      countItem(pixelData);
      requireAvailable(pixelData, length, end);
      fragments.add(Arrays.copyOfRange(bytes, position, position + (int) length));
      position += (int) length;
    }
  }

  private void countItem(int sequenceTag) throws DicomException {
    if (++items > limits.maxItems()) {
      String field = DicomTag.field(sequenceTag);
      throw new DicomException(
          ReasonCode.TOO_MANY_ITEMS,
          field,
          field
              + ": more than "
              + limits.maxItems()
              + " items and fragments in the file (DicomLimits.maxItems)");
    }
  }

  /** Items and delimiters never have a VR, in any syntax: a tag and a 4-byte length. */
  private int readItemTag(Syntax syntax, int end, int sequenceTag) throws DicomException {
    if (end - position < 8) {
      throw truncatedIn(sequenceTag, "an item header is cut off");
    }
    int tag = readTag(syntax.bigEndian());
    position += 4;
    return tag;
  }

  private Header readHeader(Syntax syntax, int end) throws DicomException {
    if (end - position < 8) {
      throw truncatedAt("an element header is cut off");
    }
    int tag = readTag(syntax.bigEndian());
    position += 4;
    if (tag >>> 16 == 0xFFFE || !syntax.explicit()) {
      DicomTag known = DicomTag.of(tag);
      VR vr = known != null ? known.vr() : VR.UN;
      return new Header(tag, vr, readUnsigned32(syntax.bigEndian()));
    }
    VR vr = VR.of(bytes[position], bytes[position + 1]);
    if (vr == null) {
      throw malformed(tag, "'" + printable(bytes[position], bytes[position + 1]) + "' is no VR");
    }
    position += 2;
    if (!vr.hasLongLength()) {
      long length = Values.unsigned(bytes, position, 2, syntax.bigEndian());
      position += 2;
      return new Header(tag, vr, length);
    }
    if (end - position < 6) {
      throw truncatedAt("an element header is cut off");
    }
    position += 2; // reserved
    return new Header(tag, vr, readUnsigned32(syntax.bigEndian()));
  }

  private int readTag(boolean bigEndian) {
    int group = (int) Values.unsigned(bytes, position, 2, bigEndian);
    int element = (int) Values.unsigned(bytes, position + 2, 2, bigEndian);
    return group << 16 | element;
  }

  /** Reads 4 bytes; the caller has checked they are there. */
  private long readUnsigned32(boolean bigEndian) {
    if (bytes.length - position < 4) {
      return 0;
    }
    long v = Values.unsigned(bytes, position, 4, bigEndian);
    position += 4;
    return v;
  }

  private void requireAvailable(int tag, long length, int end) throws DicomException {
    if (length > end - position) {
      String field = DicomTag.field(tag);
      throw new DicomException(
          ReasonCode.TRUNCATED_DATA,
          field,
          field + ": declares " + length + " bytes but only " + (end - position) + " follow");
    }
  }

  private DicomException truncatedAt(String what) {
    return new DicomException(
        ReasonCode.TRUNCATED_DATA, null, what + " at byte " + position + " of " + bytes.length);
  }

  private DicomException truncatedIn(int sequenceTag, String what) {
    String field = DicomTag.field(sequenceTag);
    return new DicomException(
        ReasonCode.TRUNCATED_DATA, field, field + ": " + what + " at byte " + position);
  }

  private DicomException malformed(int tag, String problem) {
    String field = DicomTag.field(tag);
    return new DicomException(
        ReasonCode.MALFORMED_ELEMENT, field, field + " at byte " + position + ": " + problem);
  }

  private DicomException badSequence(int sequenceTag, String problem) {
    String field = DicomTag.field(sequenceTag);
    return new DicomException(
        ReasonCode.MALFORMED_SEQUENCE, field, field + " at byte " + position + ": " + problem);
  }

  private static String printable(byte a, byte b) {
    return Values.abbreviate(new String(new byte[] {a, b}, StandardCharsets.ISO_8859_1));
  }
}
