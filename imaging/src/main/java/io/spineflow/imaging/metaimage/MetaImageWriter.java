package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Writes images as MetaImage with the fields, order and number formatting of ITK's MetaImageIO:
 * {@code .mha} with inline data, or {@code .mhd} with a {@code .raw} ({@code .zraw} when
 * compressed) beside it. Voxels are written little-endian ({@code BinaryDataByteOrderMSB = False}).
 */
public final class MetaImageWriter {

  /** Whether voxel data is written as a zlib stream ({@code CompressedData = True}). */
  public enum Compression {
    NONE,
    ZLIB
  }

  // Fastest level: in a streaming pipeline write latency matters more than a few percent of size.
  private static final int ZLIB_LEVEL = Deflater.BEST_SPEED;

  private MetaImageWriter() {}

  /**
   * Writes {@code file}: inline data when it ends in {@code .mha}; when it ends in {@code .mhd},
   * the voxels go to a sibling with the same base name and {@code .raw} or {@code .zraw}. Existing
   * files are replaced.
   *
   * @throws IllegalArgumentException when {@code file} ends in neither
   */
  public static void write(Image image, Path file, Compression compression) throws IOException {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    byte[] compressed = compressedVoxels(image, compression);
    if (lower.endsWith(".mha")) {
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(header(image, compressed, MetaImageHeader.LOCAL));
        writeData(image, compressed, out);
      }
    } else if (lower.endsWith(".mhd")) {
      String dataName =
          name.substring(0, name.length() - 4)
              + (compression == Compression.ZLIB ? ".zraw" : ".raw");
      try (OutputStream out = Files.newOutputStream(file.resolveSibling(dataName))) {
        writeData(image, compressed, out);
      }
      Files.write(file, header(image, compressed, dataName));
    } else {
      throw new IllegalArgumentException(
          "MetaImage file name must end in .mha or .mhd, got " + name);
    }
  }

  /** The {@code .mha} (header and inline data) as bytes, e.g. for a Kafka record. */
  public static byte[] toMhaBytes(Image image, Compression compression) {
    byte[] compressed = compressedVoxels(image, compression);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      out.write(header(image, compressed, MetaImageHeader.LOCAL));
      writeData(image, compressed, out);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
    return out.toByteArray();
  }

  /**
   * The header text ITK would write, ending with the {@code ElementDataFile} line.
   *
   * @param compressed the zlib voxel stream, or null when the voxels are written uncompressed
   */
  private static byte[] header(Image image, byte[] compressed, String dataFile) {
    ImageGeometry g = image.geometry();
    int n = g.dimensions();
    StringBuilder h = new StringBuilder();
    line(h, "ObjectType", "Image");
    line(h, "NDims", Integer.toString(n));
    line(h, "BinaryData", "True");
    line(h, "BinaryDataByteOrderMSB", "False");
    line(h, "CompressedData", compressed != null ? "True" : "False");
    if (compressed != null) {
      line(h, "CompressedDataSize", Integer.toString(compressed.length));
    }
    line(h, "TransformMatrix", DoubleText.join(columnsOf(g)));
    line(h, "Offset", DoubleText.join(g.origin()));
    line(h, "CenterOfRotation", DoubleText.join(new double[n]));
    line(h, "AnatomicalOrientation", AnatomicalOrientation.of(g));
    line(h, "ElementSpacing", DoubleText.join(g.spacing()));
    line(
        h,
        "DimSize",
        String.join(" ", Arrays.stream(g.size()).mapToObj(Integer::toString).toList()));
    line(h, "ElementType", image.type().metaName());
    line(h, HeaderScanner.DATA_FILE_KEY, dataFile);
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  // MetaIO lists the direction matrix column by column: value c*N+r is direction[r][c].
  private static double[] columnsOf(ImageGeometry g) {
    int n = g.dimensions();
    double[] columns = new double[n * n];
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        columns[c * n + r] = g.direction(r, c);
      }
    }
    return columns;
  }

  private static void line(StringBuilder header, String key, String value) {
    header.append(key).append(" = ").append(value).append('\n');
  }

  /** The zlib voxel stream, or null when uncompressed (then written straight from the image). */
  private static byte[] compressedVoxels(Image image, Compression compression) {
    return compression == Compression.ZLIB ? deflate(image.buffer()) : null;
  }

  private static void writeData(Image image, byte[] compressed, OutputStream out)
      throws IOException {
    if (compressed != null) {
      out.write(compressed);
    } else {
      Channels.newChannel(out).write(image.buffer());
    }
  }

  private static byte[] deflate(ByteBuffer voxels) {
    Deflater deflater = new Deflater(ZLIB_LEVEL);
    try {
      deflater.setInput(voxels);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, voxels.remaining() / 4));
      byte[] chunk = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
