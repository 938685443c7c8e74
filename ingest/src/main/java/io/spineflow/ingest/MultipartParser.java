package io.spineflow.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, bounded {@code multipart/form-data} parser (RFC 7578 over RFC 2046) for a body already
 * held in memory (and so already bounded by the request size limit). At most {@value #MAX_PARTS}
 * parts, {@value #MAX_PART_HEADER_BYTES} bytes of headers per part; anything else is {@code
 * MALFORMED_MULTIPART}.
 */
final class MultipartParser {
  static final int MAX_PARTS = 16;
  static final int MAX_PART_HEADER_BYTES = 8 * 1024;
  private static final int MAX_BOUNDARY = 70;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  /**
   * One part of the body.
   *
   * @param filename the {@code filename} parameter of its Content-Disposition, or null
   * @param contentType its Content-Type, or null
   */
  record Part(String name, String filename, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private MultipartParser() {}

  /** The boundary parameter of a multipart Content-Type. */
  static String boundary(String contentType) throws IngestRejection {
    Map<String, String> params = parameters(contentType);
    String boundary = params.get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw malformed("Content-Type", "a boundary parameter of 1-" + MAX_BOUNDARY + " characters");
    }
    return boundary;
  }

  /** Splits a {@code multipart/form-data} {@code body} into its parts. */
  static List<Part> parse(byte[] body, String boundary) throws IngestRejection {
    List<Part> parts = new ArrayList<>();
    for (RawPart raw : split(body, boundary, MAX_PARTS)) {
      parts.add(part(raw.headers(), raw.body()));
    }
    return parts;
  }

  /**
   * One part of a {@code multipart/related} body (RFC 2387, as DICOMweb STOW-RS sends it): its
   * headers (names lower-cased) and bytes.
   */
  record RawPart(Map<String, String> headers, byte[] body) {
    /** The part's media type, lower-cased, without parameters; null when it has none. */
    String mediaType() {
      String type = headers.get("content-type");
      return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Splits a {@code multipart/related} body into at most {@code maxParts} parts; unlike form-data,
   * a part needs no Content-Disposition.
   */
  static List<RawPart> parseRelated(byte[] body, String boundary, int maxParts)
      throws IngestRejection {
    return split(body, boundary, maxParts);
  }

  private static List<RawPart> split(byte[] body, String boundary, int maxParts)
      throws IngestRejection {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] nextDelimiter = concat(CRLF, delimiter);
    int pos;
    if (startsWith(body, 0, delimiter)) {
      pos = delimiter.length;
    } else {
      int found = indexOf(body, nextDelimiter, 0); // after a preamble
      if (found < 0) {
        throw malformed("body", "a body starting with the boundary delimiter");
      }
      pos = found + nextDelimiter.length;
    }
    List<RawPart> parts = new ArrayList<>();
    while (true) {
      if (startsWith(body, pos, new byte[] {'-', '-'})) {
        return parts; // close delimiter; the epilogue is ignored
      }
      while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
        pos++; // transport padding
      }
      if (!startsWith(body, pos, CRLF)) {
        throw malformed("body", "CRLF after a boundary delimiter");
      }
      pos += CRLF.length;
      if (parts.size() == maxParts) {
        throw malformed("body", "at most " + maxParts + " parts");
      }
      Map<String, String> headers;
      if (startsWith(body, pos, CRLF)) {
        headers = Map.of();
        pos += CRLF.length;
      } else {
        int headerEnd = indexOf(body, HEADER_END, pos, MAX_PART_HEADER_BYTES);
        if (headerEnd < 0) {
          throw malformed("body", "part headers of at most " + MAX_PART_HEADER_BYTES + " bytes");
        }
        headers = headers(new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8));
        pos = headerEnd + HEADER_END.length;
      }
      int end = indexOf(body, nextDelimiter, pos);
      if (end < 0) {
        throw malformed("body", "every part closed by the boundary delimiter (truncated body?)");
      }
      parts.add(new RawPart(headers, Arrays.copyOfRange(body, pos, end)));
      pos = end + nextDelimiter.length;
    }
  }

  private static Part part(Map<String, String> headers, byte[] content) throws IngestRejection {
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw malformed("Content-Disposition", "a Content-Disposition header on every part");
    }
    Map<String, String> params = parameters(disposition);
    String name = params.get("name");
    if (name == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
      throw malformed("Content-Disposition", "form-data with a name parameter");
    }
    return new Part(name, params.get("filename"), headers.get("content-type"), content);
  }

  private static Map<String, String> headers(String block) throws IngestRejection {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed("body", "part header lines of the form Name: value");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  /**
   * The {@code ;}-separated {@code key=value} parameters of a header value (keys lower-cased,
   * quotes removed, {@code \"} unescaped); the first segment (the value itself) is skipped.
   */
  static Map<String, String> parameters(String headerValue) {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < headerValue.length(); i++) {
      char c = headerValue.charAt(i);
      if (c == '"' && (i == 0 || headerValue.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        segments.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    segments.add(current.toString());
    for (String segment : segments.subList(1, segments.size())) {
      int eq = segment.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = segment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = segment.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
      }
      params.putIfAbsent(key, value);
    }
    return params;
  }

  private static IngestRejection malformed(String field, String expected) {
    return new IngestRejection(
        IngestReason.MALFORMED_MULTIPART,
        field,
        expected,
        "multipart body is malformed: expected " + expected);
  }

  private static boolean startsWith(byte[] data, int at, byte[] prefix) {
    if (at < 0 || at + prefix.length > data.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    return indexOf(data, needle, from, Integer.MAX_VALUE);
  }

  /** First index of {@code needle} starting in {@code [from, from + window]}, or -1. */
  private static int indexOf(byte[] data, byte[] needle, int from, int window) {
    long lastStart = Math.min((long) data.length - needle.length, (long) from + window);
    byte first = needle[0];
    for (int i = from; i <= lastStart; i++) {
      if (data[i] == first && startsWith(data, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
