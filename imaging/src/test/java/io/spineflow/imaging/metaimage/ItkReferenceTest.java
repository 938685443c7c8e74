package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.ImageGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code src/test/data/metaimage/itk-reference.txt} (vendored) must read with the
 * geometry, type and voxel statistics that ITK's own MetaIO reported for it.
 */
class ItkReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // ITK component type names -> the MetaImage types that ITK reads as them.
  private static final Map<String, Set<ElementType>> COMPONENT_TYPES =
      Map.of(
          "int8_t", Set.of(ElementType.CHAR),
          "uint8_t", Set.of(ElementType.UCHAR),
          "int16_t", Set.of(ElementType.SHORT),
          "uint16_t", Set.of(ElementType.USHORT),
          "int32_t", Set.of(ElementType.INT, ElementType.LONG),
          "uint32_t", Set.of(ElementType.UINT, ElementType.ULONG),
          "int64_t", Set.of(ElementType.LONG_LONG),
          "uint64_t", Set.of(ElementType.ULONG_LONG),
          "float", Set.of(ElementType.FLOAT),
          "double", Set.of(ElementType.DOUBLE));

  private final MetaImageReader reader = new MetaImageReader();

  static Stream<Arguments> referenceFiles() throws IOException {
    Path dir = ReferenceMetaImageData.directory();
    List<String> lines = Files.readAllLines(dir.resolve("itk-reference.txt"));
    return lines.stream()
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              int split = line.indexOf(" {");
              return Arguments.of(line.substring(0, split), line.substring(split + 1));
            });
  }

  @Test
  void referenceListNamesFilesThatExist() throws IOException {
    Path dir = ReferenceMetaImageData.directory();
    List<String> listed = referenceFiles().map(a -> (String) a.get()[0]).toList();
    assertThat(listed).hasSizeGreaterThanOrEqualTo(19);
    assertThat(listed).allSatisfy(file -> assertThat(dir.resolve(file)).isRegularFile());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceFiles")
  void readsAsItkDoes(String file, String itkJson) throws IOException {
    JsonNode itk = JSON.readTree(itkJson);
    MetaImage metaImage = reader.read(ReferenceMetaImageData.directory().resolve(file));
    ImageGeometry g = metaImage.image().geometry();
    ImageReport report = ImageReport.of(metaImage);

    assertThat(g.size()).containsExactly(ints(itk.get("size")));
    assertClose(g.spacing(), doubles(itk.get("spacing")));
    assertClose(g.origin(), doubles(itk.get("origin")));
    assertClose(g.direction(), doubles(itk.get("dir")));
    assertThat(COMPONENT_TYPES.get(itk.get("comp").asText())).contains(metaImage.image().type());
    assertThat(report.componentType()).isEqualTo(itk.get("comp").asText());
    assertThat(report.channels()).isEqualTo(itk.get("ncomp").asInt());
    assertThat(metaImage.image().voxelCount()).isEqualTo(itk.get("n").asLong());
    assertThat(report.voxelCount()).isEqualTo(itk.get("n").asLong());
    assertSame(report.min(), itk.get("min"));
    assertSame(report.max(), itk.get("max"));
    assertSame(report.sum(), itk.get("sum"));
  }

  private static void assertSame(Number actual, JsonNode expected) {
    if (actual instanceof Double d) {
      assertThat(d).isCloseTo(expected.asDouble(), within(1e-9 * Math.max(1, Math.abs(d))));
    } else {
      // Integer statistics are exact.
      assertThat(actual.longValue()).isEqualTo(expected.asLong());
    }
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i])
          .as("component %d", i)
          .isCloseTo(expected[i], within(1e-9 * Math.max(1, Math.abs(expected[i]))));
    }
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }
}
