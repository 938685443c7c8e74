package io.spineflow.imaging.metaimage;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits the start of a MetaImage into header lines, up to and including the {@code
 * ElementDataFile} line, which MetaIO requires to be last: whatever follows it is voxel data (or,
 * for a detached file, ignored).
 */
final class HeaderScanner {
  static final String DATA_FILE_KEY = "ElementDataFile";

  private HeaderScanner() {}

  /**
   * @param head the first bytes of the input, at most {@code limits.maxHeaderBytes()}
   * @param length how many bytes of {@code head} are valid
   * @param endOfInput true when {@code head} holds the whole input, so a last line without a
   *     newline is complete rather than cut off by the limit
   */
  static RawHeader scan(byte[] head, int length, boolean endOfInput, MetaImageLimits limits)
      throws MetaImageException {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Integer> lineOfKey = new HashMap<>();
    int start = 0;
    int lineNumber = 0;
    int skipped = 0;
    String firstSkipped = null;
    while (start < length) {
      lineNumber++;
      int newline = indexOf(head, (byte) '\n', start, length);
      if (newline < 0 && !endOfInput) {
        throw headerTooLarge(limits);
      }
      int end = newline < 0 ? length : newline;
      int next = newline < 0 ? length : newline + 1;
      String line = decode(utf8, head, start, end, lineNumber).strip();
      start = next;
      if (line.isEmpty()) {
        continue;
      }
      int separator = separatorIndex(line);
      if (separator < 0) {
        // ITK's MetaIO reads such a line as a key it does not know and skips it; so does this
        // reader, which is safe: decode() has already refused anything but text, and nothing after
        // ElementDataFile is read as a header line.
        skipped++;
        firstSkipped =
            firstSkipped == null ? lineNumber + ": '" + abbreviate(line) + "'" : firstSkipped;
        continue;
      }
      if (separator == 0) {
        throw new MetaImageException(
            ReasonCode.MALFORMED_HEADER_LINE,
            null,
            "header line "
                + lineNumber
                + ": 'Key = Value' expected, got no key before the separator in '"
                + abbreviate(line)
                + "'");
      }
      String key = line.substring(0, separator).strip();
      String value = line.substring(separator + 1).strip();
      Integer earlier = lineOfKey.putIfAbsent(key, lineNumber);
      if (earlier != null) {
        // Any text before the separator is a key, so a hostile header can repeat a key of
        // maxHeaderBytes / 2: shortened, as every other echo of the input, to keep the rejection
        // (dead-letter record, log line) small.
        String shown = abbreviate(key);
        throw new MetaImageException(
            ReasonCode.DUPLICATE_FIELD,
            shown,
            shown + ": appears twice (header lines " + earlier + " and " + lineNumber + ")");
      }
      fields.put(key, value);
      if (key.equals(DATA_FILE_KEY)) {
        return new RawHeader(fields, next);
      }
    }
    if (!endOfInput) {
      throw headerTooLarge(limits);
    }
    if (fields.isEmpty() && skipped > 0) {
      // Text without a single field is not a MetaImage with a comment: say so, not "field missing".
      throw new MetaImageException(
          ReasonCode.MALFORMED_HEADER_LINE,
          null,
          "no 'Key = Value' line in "
              + skipped
              + " lines of text: not a MetaImage (header line "
              + firstSkipped
              + ")");
    }
    throw new MetaImageException(
        ReasonCode.MISSING_FIELD,
        DATA_FILE_KEY,
        DATA_FILE_KEY
            + ": required field missing (the header ended after "
            + lineNumber
            + " lines)");
  }

  private static MetaImageException headerTooLarge(MetaImageLimits limits) {
    return new MetaImageException(
        ReasonCode.HEADER_TOO_LARGE,
        DATA_FILE_KEY,
        DATA_FILE_KEY
            + ": not found within the first "
            + limits.maxHeaderBytes()
            + " bytes (MetaImageLimits.maxHeaderBytes)");
  }

  // MetaIO ends a key at the first '=' or ':', so both separators are accepted.
  private static int separatorIndex(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '=' || c == ':') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The field a badly encoded line belongs to, for the rejection: its key when the key itself is
   * plain ASCII, else "header line N". Never the value, which may be free text about the patient.
   */
  /** "header line N (Key)", or "header line N" when the line has no readable key. */
  private static String lineLabel(byte[] bytes, int from, int to, int lineNumber) {
    String line = "header line " + lineNumber;
    String key = keyOf(bytes, from, to, lineNumber);
    return key.equals(line) ? line : line + " (" + key + ")";
  }

  private static String keyOf(byte[] bytes, int from, int to, int lineNumber) {
    StringBuilder key = new StringBuilder();
    for (int i = from; i < to; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '=' || b == ':') {
        String trimmed = key.toString().trim();
        return trimmed.isEmpty() ? "header line " + lineNumber : trimmed;
      }
      if (b < 0x20 || b > 0x7E || key.length() > 64) {
        break;
      }
      key.append((char) b);
    }
    return "header line " + lineNumber;
  }

  private static String decode(CharsetDecoder utf8, byte[] bytes, int from, int to, int lineNumber)
      throws MetaImageException {
    String text;
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, from, to - from));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw new MetaImageException(
          ReasonCode.INVALID_HEADER_ENCODING,
          keyOf(bytes, from, to, lineNumber),
          lineLabel(bytes, from, to, lineNumber)
              + ": not valid UTF-8 text (binary data before the end of the header?)",
          e);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
        throw new MetaImageException(
            ReasonCode.INVALID_HEADER_ENCODING,
            keyOf(bytes, from, to, lineNumber),
            String.format(
                "%s: control character U+%04X at column %d; header lines must be text",
                lineLabel(bytes, from, to, lineNumber), (int) c, i + 1));
      }
    }
    return text;
  }

  private static int indexOf(byte[] bytes, byte target, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == target) {
        return i;
      }
    }
    return -1;
  }

  static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
