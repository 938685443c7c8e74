package io.spineflow.ingest;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The bad-input corpus every door must refuse with a stable reason: broken, lying or hostile
 * studies as a scanner bug, a wrong export or an attacker would send them. Each case holds the
 * bytes of the image (and mask), the reason it must be dead-lettered with, and, where a door sees
 * it differently, that door's reason.
 */
final class MalformedStudies {
  private MalformedStudies() {}

  /**
   * @param name a short id, part of the study UID and file name of every door
   * @param image the image file's bytes ({@code .mha}, or a {@code .mhd} header when {@code mhd})
   * @param mask the mask's bytes, or null
   * @param reason the expected dead-letter reason code
   * @param folderReason the watched folder's reason where it differs (it can read detached files)
   * @param mhd the image is a {@code .mhd} header naming a detached data file
   */
  record Case(
      String name, byte[] image, byte[] mask, String reason, String folderReason, boolean mhd) {
    static Case of(String name, byte[] image, String reason) {
      return new Case(name, image, null, reason, reason, false);
    }

    static Case withMask(String name, byte[] image, byte[] mask, String reason) {
      return new Case(name, image, mask, reason, reason, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The maximum decoded bytes the tests configure, so the bombs are cheap to detect. */
  static final long MAX_DECODED_BYTES = 8L << 20;

  static List<Case> all() {
    Image image = TestVolumes.image(7);
    byte[] valid = TestVolumes.mha(image);
    byte[] validMask = TestVolumes.mha(TestVolumes.maskFor(image));
    return List.of(
        Case.of("truncated", Arrays.copyOf(valid, valid.length - 100), "TRUNCATED_DATA"),
        Case.of("lying-compression", lyingCompression(valid), "CORRUPT_COMPRESSED_DATA"),
        Case.of(
            "lying-dimsize",
            header("NDims = 3\nDimSize = 16 12 40\nElementType = MET_USHORT\n", tail(valid)),
            "TRUNCATED_DATA"),
        Case.of(
            "string-type",
            header("NDims = 3\nDimSize = 16 12 4\nElementType = MET_STRING\n", tail(valid)),
            "UNSUPPORTED_ELEMENT_TYPE"),
        Case.of("nan-voxels", floatImage(image, Float.NaN), "NON_FINITE_VOXELS"),
        Case.of("inf-voxels", floatImage(image, Float.POSITIVE_INFINITY), "NON_FINITE_VOXELS"),
        Case.of(
            "zero-dimension",
            header("NDims = 3\nDimSize = 16 0 4\nElementType = MET_USHORT\n", new byte[0]),
            "INVALID_FIELD"),
        Case.of(
            "huge-dimensions",
            header(
                "NDims = 3\nDimSize = 200000 200000 200000\nElementType = MET_USHORT\n",
                new byte[0]),
            "TOO_MANY_VOXELS"),
        Case.of("header-bomb", headerBomb(), "HEADER_TOO_LARGE"),
        Case.of("decompression-bomb", decompressionBomb(), "DECOMPRESSION_BOMB"),
        Case.of("non-utf8-header", nonUtf8Header(valid), "INVALID_HEADER_ENCODING"),
        Case.of(
            "duplicate-key",
            header(
                "NDims = 3\nDimSize = 16 12 4\nDimSize = 16 12 4\nElementType = MET_USHORT\n",
                tail(valid)),
            "DUPLICATE_FIELD"),
        Case.of(
            "not-metaimage",
            "{\"study\": \"json, not MetaImage\"}".getBytes(US_ASCII),
            "MISSING_FIELD"),
        Case.withMask(
            "geometry-mismatch",
            valid,
            TestVolumes.mha(TestVolumes.shiftedMaskFor(image, 2.0)),
            "GEOMETRY_MISMATCH"),
        Case.withMask(
            "float-mask",
            valid,
            MetaImageWriter.toMhaBytes(
                Image.fromDoubles(image.geometry(), ElementType.FLOAT, new double[768]),
                MetaImageWriter.Compression.NONE),
            "INVALID_MASK_TYPE"),
        Case.withMask(
            "truncated-mask",
            valid,
            Arrays.copyOf(validMask, validMask.length - 100),
            "TRUNCATED_DATA"),
        // Kafka and HTTP carry one file: a detached data file cannot come with it. The folder
        // could read one, but never outside the folder.
        new Case(
            "outside-data-file",
            ("ObjectType = Image\nNDims = 3\nDimSize = 16 12 4\nElementType = MET_USHORT\n"
                    + "ElementDataFile = ../../../etc/passwd\n")
                .getBytes(US_ASCII),
            null,
            "DATA_FILE_UNRESOLVABLE",
            "DATA_FILE_OUTSIDE_DIRECTORY",
            true));
  }

  /** {@code .mha} text with {@code fields} and inline data {@code data}. */
  private static byte[] header(String fields, byte[] data) {
    byte[] text =
        ("ObjectType = Image\n" + fields + "ElementDataFile = LOCAL\n").getBytes(US_ASCII);
    byte[] out = Arrays.copyOf(text, text.length + data.length);
    System.arraycopy(data, 0, out, text.length, data.length);
    return out;
  }

  /** The voxel bytes after the {@code ElementDataFile = LOCAL} line. */
  private static byte[] tail(byte[] mha) {
    String text = new String(mha, US_ASCII);
    int start = text.indexOf("ElementDataFile = LOCAL\n") + "ElementDataFile = LOCAL\n".length();
    return Arrays.copyOfRange(mha, start, mha.length);
  }

  /** Claims zlib data but carries raw voxels. */
  private static byte[] lyingCompression(byte[] valid) {
    return header(
        "NDims = 3\nDimSize = 16 12 4\nElementType = MET_USHORT\nCompressedData = True\n",
        tail(valid));
  }

  /** A float image on {@code image}'s grid with one voxel set to {@code bad}. */
  private static byte[] floatImage(Image image, float bad) {
    double[] values = image.toDoubles();
    values[values.length / 2] = bad;
    return MetaImageWriter.toMhaBytes(
        Image.fromDoubles(image.geometry(), ElementType.FLOAT, values),
        MetaImageWriter.Compression.NONE);
  }

  /** A header that never ends: key lines until well past any sane header size. */
  private static byte[] headerBomb() {
    StringBuilder text = new StringBuilder("ObjectType = Image\nNDims = 3\n");
    for (int i = 0; text.length() < 2 << 20; i++) {
      text.append("Comment").append(i).append(" = ").append("x".repeat(60)).append('\n');
    }
    return text.toString().getBytes(US_ASCII);
  }

  /** A small image whose zlib stream inflates far beyond its DimSize (and the decode limit). */
  private static byte[] decompressionBomb() {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 << 10];
    for (int i = 0; i < 64; i++) { // 64 MiB of zeros
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        compressed.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return header(
        "NDims = 3\nDimSize = 16 12 4\nElementType = MET_USHORT\nCompressedData = True\n"
            + "CompressedDataSize = "
            + compressed.size()
            + "\n",
        compressed.toByteArray());
  }

  /** A valid study whose free-text header line holds Latin-1 bytes (not UTF-8). */
  private static byte[] nonUtf8Header(byte[] valid) {
    byte[] latin1 =
        "Comment = M\u00fcller\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] out = new byte[valid.length + latin1.length];
    System.arraycopy(latin1, 0, out, 0, latin1.length);
    System.arraycopy(valid, 0, out, latin1.length, valid.length);
    return out;
  }
}
