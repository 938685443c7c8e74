package io.spineflow.imaging.metaimage;

import static io.spineflow.imaging.metaimage.FieldValues.invalid;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.ImageGeometry;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw header fields into a validated {@link MetaImageHeader}, with MetaIO's defaults and
 * synonyms, checking the limits before any voxel memory is allocated.
 */
final class MetaImageHeaderParser {
  private static final List<String> ORIGIN_KEYS = List.of("Offset", "Position", "Origin");
  private static final List<String> DIRECTION_KEYS =
      List.of("TransformMatrix", "Rotation", "Orientation");
  private static final List<String> BYTE_ORDER_KEYS =
      List.of("BinaryDataByteOrderMSB", "ElementByteOrderMSB");
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "ObjectType",
          "NDims",
          "DimSize",
          "ElementType",
          "ElementDataFile",
          "ElementNumberOfChannels",
          "ElementSpacing",
          "ElementSize",
          "Offset",
          "Position",
          "Origin",
          "TransformMatrix",
          "Rotation",
          "Orientation",
          "CenterOfRotation",
          "AnatomicalOrientation",
          "BinaryData",
          "BinaryDataByteOrderMSB",
          "ElementByteOrderMSB",
          "CompressedData",
          "CompressedDataSize",
          "HeaderSize",
          "ElementMin",
          "ElementMax");

  private final RawHeader raw;
  private final MetaImageLimits limits;

  private MetaImageHeaderParser(RawHeader raw, MetaImageLimits limits) {
    this.raw = raw;
    this.limits = limits;
  }

  static MetaImageHeader parse(RawHeader raw, MetaImageLimits limits) throws MetaImageException {
    return new MetaImageHeaderParser(raw, limits).parse();
  }

  private MetaImageHeader parse() throws MetaImageException {
    String objectType = raw.get("ObjectType");
    if (objectType != null && !objectType.equals("Image")) {
      throw invalid(
          "ObjectType",
          "ObjectType: Image expected, got '" + HeaderScanner.abbreviate(objectType) + "'");
    }
    int dims = dimensions();
    checkSingleChannel();
    ElementType elementType = elementType();
    int[] size = dimSize(dims);
    checkVolume(size, elementType);
    if (!FieldValues.bool("BinaryData", raw.optional("BinaryData", "True"))) {
      throw new MetaImageException(
          ReasonCode.ASCII_DATA_UNSUPPORTED,
          "BinaryData",
          "BinaryData: True expected (ASCII voxel data is not supported), got False");
    }
    ByteOrder byteOrder = byteOrder();
    boolean compressed =
        FieldValues.bool("CompressedData", raw.optional("CompressedData", "False"));
    Long compressedDataSize = compressedDataSize();
    long headerSize = headerSize(compressed);
    String why = "for NDims = " + dims;

    double[] elementSize = raw.optionalPositiveArray("ElementSize", dims, why);
    double[] spacing = raw.optionalPositiveArray("ElementSpacing", dims, why);
    if (spacing == null) {
      spacing = elementSize != null ? elementSize : filled(dims, 1.0);
    }
    double[] origin = raw.synonymArray(ORIGIN_KEYS, dims, why);
    double[] direction = direction(dims);
    double[] center = raw.optionalArray("CenterOfRotation", dims, why);
    ImageGeometry geometry =
        new ImageGeometry(size, spacing, origin == null ? new double[dims] : origin, direction);

    return new MetaImageHeader(
        geometry,
        elementType,
        byteOrder,
        compressed,
        compressedDataSize,
        headerSize,
        elementDataFile(),
        objectType,
        raw.get("AnatomicalOrientation"),
        boxed(center),
        boxed(elementSize),
        raw.optionalNumber("ElementMin"),
        raw.optionalNumber("ElementMax"),
        extraFields());
  }

  private int dimensions() throws MetaImageException {
    String value = raw.required("NDims");
    int dims = (int) FieldValues.integer("NDims", value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (dims != 2 && dims != 3) {
      throw new MetaImageException(
          ReasonCode.UNSUPPORTED_DIMENSIONS, "NDims", "NDims: 2 or 3 expected, got " + dims);
    }
    return dims;
  }

  private void checkSingleChannel() throws MetaImageException {
    String value = raw.get("ElementNumberOfChannels");
    if (value == null) {
      return;
    }
    long channels = FieldValues.integer("ElementNumberOfChannels", value, 1, Integer.MAX_VALUE);
    if (channels != 1) {
      throw new MetaImageException(
          ReasonCode.MULTI_CHANNEL_UNSUPPORTED,
          "ElementNumberOfChannels",
          "ElementNumberOfChannels: 1 expected (only scalar images are supported), got "
              + channels);
    }
  }

  private ElementType elementType() throws MetaImageException {
    String value = raw.required("ElementType");
    return ElementType.fromMetaName(value)
        .orElseThrow(
            () ->
                new MetaImageException(
                    ReasonCode.UNSUPPORTED_ELEMENT_TYPE,
                    "ElementType",
                    "ElementType: one of "
                        + Arrays.stream(ElementType.values()).map(ElementType::metaName).toList()
                        + " expected, got '"
                        + HeaderScanner.abbreviate(value)
                        + "'"));
  }

  private int[] dimSize(int dims) throws MetaImageException {
    String[] tokens =
        FieldValues.tokens("DimSize", raw.required("DimSize"), dims, "for NDims = " + dims);
    int[] size = new int[dims];
    for (int i = 0; i < dims; i++) {
      size[i] =
          (int)
              FieldValues.integer("DimSize", tokens[i], 1, Integer.MAX_VALUE, "DimSize[" + i + "]");
    }
    return size;
  }

  // Each axis fits an int, so stopping as soon as the running product passes the limit also keeps
  // the product from overflowing a long.
  private void checkVolume(int[] size, ElementType type) throws MetaImageException {
    long voxels = 1;
    for (int s : size) {
      voxels *= s;
      if (voxels > limits.maxVoxels()) {
        throw new MetaImageException(
            ReasonCode.TOO_MANY_VOXELS,
            "DimSize",
            "DimSize: voxel count "
                + exactProduct(size)
                + " ("
                + dimSizeText(size)
                + ") exceeds limit "
                + limits.maxVoxels()
                + " (MetaImageLimits.maxVoxels)");
      }
    }
    long bytes = voxels * type.bytes();
    if (bytes > limits.maxDecodedBytes()) {
      throw new MetaImageException(
          ReasonCode.DECODED_DATA_TOO_LARGE,
          "DimSize",
          "DimSize: decoded size "
              + bytes
              + " bytes ("
              + dimSizeText(size)
              + " of "
              + type.metaName()
              + ") exceeds limit "
              + limits.maxDecodedBytes()
              + " (MetaImageLimits.maxDecodedBytes)");
    }
  }

  private ByteOrder byteOrder() throws MetaImageException {
    Boolean msb = null;
    String first = null;
    for (String key : BYTE_ORDER_KEYS) {
      String value = raw.get(key);
      if (value == null) {
        continue;
      }
      boolean thisMsb = FieldValues.bool(key, value);
      if (msb != null && msb != thisMsb) {
        throw raw.conflict(first, key);
      }
      msb = thisMsb;
      first = key;
    }
    return Boolean.TRUE.equals(msb) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  private Long compressedDataSize() throws MetaImageException {
    String value = raw.get("CompressedDataSize");
    if (value == null) {
      return null;
    }
    long size = FieldValues.integer("CompressedDataSize", value, 0, Long.MAX_VALUE);
    return size == 0 ? null : size;
  }

  private long headerSize(boolean compressed) throws MetaImageException {
    String value = raw.get("HeaderSize");
    if (value == null) {
      return 0;
    }
    long size = FieldValues.integer("HeaderSize", value, -1, Long.MAX_VALUE);
    if (size == -1 && compressed) {
      throw invalid(
          "HeaderSize",
          "HeaderSize: -1 (data at the end of the file) is not supported with CompressedData ="
              + " True");
    }
    return size;
  }

  private double[] direction(int dims) throws MetaImageException {
    double[] columns = raw.synonymArray(DIRECTION_KEYS, dims * dims, "for NDims = " + dims);
    double[] direction = new double[dims * dims];
    if (columns == null) {
      for (int i = 0; i < dims; i++) {
        direction[i * dims + i] = 1.0;
      }
      return direction;
    }
    // MetaIO lists the direction matrix column by column (ITK: SetDirection(c, values[c*N..])).
    for (int r = 0; r < dims; r++) {
      for (int c = 0; c < dims; c++) {
        direction[r * dims + c] = columns[c * dims + r];
      }
    }
    if (determinant(direction, dims) == 0.0) {
      String key =
          DIRECTION_KEYS.stream().filter(k -> raw.get(k) != null).findFirst().orElseThrow();
      throw invalid(
          key, key + ": the direction matrix is singular (determinant 0); ITK refuses it too");
    }
    return direction;
  }

  private static double determinant(double[] m, int n) {
    if (n == 2) {
      return m[0] * m[3] - m[1] * m[2];
    }
    return m[0] * (m[4] * m[8] - m[5] * m[7])
        - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }

  private String elementDataFile() throws MetaImageException {
    String key = HeaderScanner.DATA_FILE_KEY;
    String value = raw.get(key);
    if (value.isEmpty()) {
      throw invalid(key, key + ": a file name or LOCAL expected, got an empty value");
    }
    String firstWord = FieldValues.tokens(value)[0];
    if (firstWord.equalsIgnoreCase("LIST") || value.contains("%")) {
      throw new MetaImageException(
          ReasonCode.UNSUPPORTED_DATA_FILE_FORM,
          key,
          key
              + ": LOCAL or a single file name expected; lists and file-name patterns are not"
              + " supported, got '"
              + HeaderScanner.abbreviate(value)
              + "'");
    }
    return value;
  }

  private Map<String, String> extraFields() {
    Map<String, String> extra = new LinkedHashMap<>();
    raw.fields()
        .forEach(
            (key, value) -> {
              if (!KNOWN_KEYS.contains(key)) {
                extra.put(key, value);
              }
            });
    return extra;
  }

  private static double[] filled(int n, double value) {
    double[] values = new double[n];
    Arrays.fill(values, value);
    return values;
  }

  private static List<Double> boxed(double[] values) {
    if (values == null) {
      return null;
    }
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static String dimSizeText(int[] size) {
    StringBuilder text = new StringBuilder();
    for (int s : size) {
      text.append(text.length() == 0 ? "" : " x ").append(s);
    }
    return text.toString();
  }

  private static BigInteger exactProduct(int[] size) {
    BigInteger product = BigInteger.ONE;
    for (int s : size) {
      product = product.multiply(BigInteger.valueOf(s));
    }
    return product;
  }
}
