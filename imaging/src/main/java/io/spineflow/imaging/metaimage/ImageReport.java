package io.spineflow.imaging.metaimage;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code spineflow inspect} shows about an image: the same quantities ITK reports (and {@code
 * itk-reference.txt} lists), as text for people and JSON for scripts.
 *
 * @param size voxels per axis, x fastest
 * @param spacing voxel spacing per axis
 * @param origin physical position of voxel 0
 * @param direction direction matrix, row-major (element [r][c] at r·N+c; column c is axis c)
 * @param elementType MetaImage spelling, e.g. {@code MET_SHORT}
 * @param componentType ITK's component type name, e.g. {@code int16_t}
 * @param channels components per voxel (always 1: the reader refuses multi-channel images)
 * @param voxelCount number of voxels
 * @param min smallest voxel: a {@link Long} (or {@link BigInteger} beyond it) for integer types, a
 *     {@link Double} for floating point (NaN voxels are skipped)
 * @param max largest voxel, typed as {@code min}
 * @param sum sum of all voxels, exact for integer types, compensated summation for floating point
 */
@JsonPropertyOrder({
  "size",
  "spacing",
  "origin",
  "direction",
  "elementType",
  "componentType",
  "channels",
  "voxelCount",
  "min",
  "max",
  "sum"
})
public record ImageReport(
    List<Integer> size,
    List<Double> spacing,
    List<Double> origin,
    List<Double> direction,
    String elementType,
    String componentType,
    int channels,
    long voxelCount,
    Number min,
    Number max,
    Number sum) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ImageReport {
    size = List.copyOf(size);
    spacing = List.copyOf(spacing);
    origin = List.copyOf(origin);
    direction = List.copyOf(direction);
  }

  /** The report of a decoded MetaImage. */
  public static ImageReport of(MetaImage metaImage) {
    return of(metaImage.image());
  }

  /** The report of an image; reads every voxel once. */
  public static ImageReport of(Image image) {
    ImageGeometry g = image.geometry();
    VoxelStatistics stats = VoxelStatistics.of(image);
    return new ImageReport(
        Arrays.stream(g.size()).boxed().toList(),
        Arrays.stream(g.spacing()).boxed().toList(),
        Arrays.stream(g.origin()).boxed().toList(),
        Arrays.stream(g.direction()).boxed().toList(),
        image.type().metaName(),
        componentTypeOf(image.type()),
        1,
        image.voxelCount(),
        stats.min(),
        stats.max(),
        stats.sum());
  }

  /** Aligned {@code name value} lines, numbers in their shortest exact form. */
  public String toText() {
    int n = size.size();
    StringBuilder text = new StringBuilder();
    row(text, "size", size.stream().map(String::valueOf).collect(Collectors.joining(" x ")));
    row(text, "spacing", numbers(spacing));
    row(text, "origin", numbers(origin));
    StringBuilder rows = new StringBuilder();
    for (int r = 0; r < n; r++) {
      rows.append(r == 0 ? "" : " | ").append(numbers(direction.subList(r * n, r * n + n)));
    }
    row(text, "direction", rows + "  (rows)");
    row(
        text,
        "element type",
        elementType
            + " ("
            + componentType
            + "), "
            + channels
            + " channel"
            + (channels == 1 ? "" : "s"));
    row(text, "voxels", Long.toString(voxelCount));
    row(text, "min", number(min));
    row(text, "max", number(max));
    row(text, "sum", number(sum));
    return text.toString();
  }

  /** Pretty-printed JSON with the record's fields in declaration order. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of plain numbers and strings always serializes", e);
    }
  }

  /** ITK's name for a component type ({@code itk::ImageIOBase::GetComponentTypeAsString}). */
  static String componentTypeOf(ElementType type) {
    return switch (type) {
      case CHAR -> "int8_t";
      case UCHAR -> "uint8_t";
      case SHORT -> "int16_t";
      case USHORT -> "uint16_t";
      case INT, LONG -> "int32_t";
      case UINT, ULONG -> "uint32_t";
      case LONG_LONG -> "int64_t";
      case ULONG_LONG -> "uint64_t";
      case FLOAT -> "float";
      case DOUBLE -> "double";
    };
  }

  private static void row(StringBuilder text, String name, String value) {
    text.append(String.format("%-13s %s\n", name, value));
  }

  private static String numbers(List<Double> values) {
    return values.stream().map(DoubleText::format).collect(Collectors.joining(" "));
  }

  private static String number(Number value) {
    return value instanceof Double d ? DoubleText.format(d) : value.toString();
  }
}
