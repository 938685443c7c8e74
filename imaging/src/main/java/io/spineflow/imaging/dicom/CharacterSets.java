package io.spineflow.imaging.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Specific Character Set (0008,0005) to a Java charset, for the single-byte and UTF-8 repertoires.
 * Code extensions (ISO 2022, several values) are read with their first value's charset: the text
 * attributes spineflow uses (UIDs, codes, numbers) are ASCII in every repertoire.
 */
final class CharacterSets {
  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("ISO_IR 100", "ISO-8859-1"),
          Map.entry("ISO_IR 101", "ISO-8859-2"),
          Map.entry("ISO_IR 109", "ISO-8859-3"),
          Map.entry("ISO_IR 110", "ISO-8859-4"),
          Map.entry("ISO_IR 144", "ISO-8859-5"),
          Map.entry("ISO_IR 127", "ISO-8859-6"),
          Map.entry("ISO_IR 126", "ISO-8859-7"),
          Map.entry("ISO_IR 138", "ISO-8859-8"),
          Map.entry("ISO_IR 148", "ISO-8859-9"),
          Map.entry("ISO_IR 166", "x-IBM874"),
          Map.entry("ISO_IR 192", "UTF-8"),
          Map.entry("GB18030", "GB18030"),
          Map.entry("GBK", "GBK"));

  private CharacterSets() {}

  /**
   * The charset of a Specific Character Set value; ISO-8859-1 (a superset of the default ASCII
   * repertoire that decodes every byte) when absent or unknown.
   */
  static Charset of(byte[] value) {
    String text = new String(value, StandardCharsets.ISO_8859_1);
    String first = text.split("\\\\", -1)[0].strip();
    String name = NAMES.get(first.replace("ISO 2022 IR ", "ISO_IR "));
    if (name == null || !Charset.isSupported(name)) {
      return StandardCharsets.ISO_8859_1;
    }
    return Charset.forName(name);
  }
}
