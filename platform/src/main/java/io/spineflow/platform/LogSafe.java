package io.spineflow.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Values from outside (topics, headers, HTTP requests, file names) made safe for a log line.
 *
 * <ul>
 *   <li>{@link #text}: control characters escaped ({@code \n}, {@code \r}, {@code \t}, {@code
 *       \\uXXXX}), so a value cannot forge a log line (log injection) or hide in an escape
 *       sequence; long values cut.
 *   <li>{@link #id}: study UIDs and file names, which often carry a patient's name or an accession
 *       number, never appear raw: {@code #} and the first 10 hex digits of their SHA-256. The same
 *       value always gives the same short hash, so log lines about one study still correlate, and
 *       an operator who knows the UID can find them ({@code printf %s UID | sha256sum}).
 * </ul>
 */
public final class LogSafe {
  /** Longest text kept whole; longer is cut with an ellipsis and the original length. */
  public static final int MAX_TEXT = 200;

  private LogSafe() {}

  /** {@code value} with control characters escaped and cut at {@value #MAX_TEXT} characters. */
  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT) + 16);
    int n = Math.min(s.length(), MAX_TEXT);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isISOControl(c)
              || c == '\u2028'
              || c == '\u2029'
              || Character.getType(c) == Character.FORMAT) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (s.length() > MAX_TEXT) {
      out.append("...(").append(s.length()).append(" chars)");
    }
    return out.toString();
  }

  /** A study UID or file name as it may be logged: {@code #} + 10 hex digits of its SHA-256. */
  public static String id(String value) {
    if (value == null) {
      return "(none)";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
