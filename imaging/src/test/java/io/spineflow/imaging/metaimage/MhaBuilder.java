package io.spineflow.imaging.metaimage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@code .mha} bytes field by field, so a test states only what it changes. */
final class MhaBuilder {
  private final Map<String, String> fields = new LinkedHashMap<>();
  private byte[] data = new byte[0];
  private String rawHeaderSuffix = "";

  /** A valid 4×3×2 MET_SHORT image whose voxel i holds i - 10, little-endian, uncompressed. */
  static MhaBuilder validShortImage() {
    MhaBuilder b = new MhaBuilder();
    b.set("ObjectType", "Image")
        .set("NDims", "3")
        .set("BinaryData", "True")
        .set("BinaryDataByteOrderMSB", "False")
        .set("CompressedData", "False")
        .set("TransformMatrix", "1 0 0 0 1 0 0 0 1")
        .set("Offset", "0 0 0")
        .set("ElementSpacing", "1 1 1")
        .set("DimSize", "4 3 2")
        .set("ElementType", "MET_SHORT")
        .set("ElementDataFile", "LOCAL");
    b.data = littleEndianShorts(24);
    return b;
  }

  static byte[] littleEndianShorts(int count) {
    byte[] bytes = new byte[count * 2];
    for (int i = 0; i < count; i++) {
      short v = (short) (i - 10);
      bytes[2 * i] = (byte) v;
      bytes[2 * i + 1] = (byte) (v >> 8);
    }
    return bytes;
  }

  /** Sets a field, keeping its position, or appends it just before {@code ElementDataFile}. */
  MhaBuilder set(String key, String value) {
    if (fields.containsKey(key) || !fields.containsKey("ElementDataFile")) {
      fields.put(key, value);
      return this;
    }
    String dataFile = fields.remove("ElementDataFile");
    fields.put(key, value);
    fields.put("ElementDataFile", dataFile);
    return this;
  }

  MhaBuilder remove(String key) {
    fields.remove(key);
    return this;
  }

  MhaBuilder data(byte[] data) {
    this.data = data.clone();
    return this;
  }

  /** Raw text inserted before the {@code ElementDataFile} line (duplicates, garbage, bombs). */
  MhaBuilder insertBeforeDataFile(String text) {
    this.rawHeaderSuffix = text;
    return this;
  }

  byte[] data() {
    return data.clone();
  }

  String header() {
    StringBuilder text = new StringBuilder();
    fields.forEach(
        (key, value) -> {
          if (key.equals("ElementDataFile")) {
            text.append(rawHeaderSuffix);
          }
          text.append(key).append(" = ").append(value).append('\n');
        });
    if (!fields.containsKey("ElementDataFile")) {
      text.append(rawHeaderSuffix);
    }
    return text.toString();
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data);
    return out.toByteArray();
  }
}
