package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageReportTest {

  private static final ImageGeometry GEOMETRY =
      new ImageGeometry(
          new int[] {3, 2},
          new double[] {0.5, 1.366},
          new double[] {-10, 2.25},
          new double[] {0, -1, 1, 0});

  @Test
  void reportsGeometryTypeAndExactIntegerStatistics() {
    Image image =
        Image.fromDoubles(GEOMETRY, ElementType.SHORT, new double[] {-5, 7, 0, 32767, 1, -32768});

    ImageReport report = ImageReport.of(image);

    assertThat(report.size()).containsExactly(3, 2);
    assertThat(report.direction()).containsExactly(0.0, -1.0, 1.0, 0.0);
    assertThat(report.elementType()).isEqualTo("MET_SHORT");
    assertThat(report.componentType()).isEqualTo("int16_t");
    assertThat(report.channels()).isEqualTo(1);
    assertThat(report.voxelCount()).isEqualTo(6);
    assertThat(report.min()).isEqualTo(-32768L);
    assertThat(report.max()).isEqualTo(32767L);
    assertThat(report.sum()).isEqualTo(2L);
  }

  @Test
  void textShowsOneQuantityPerLine() {
    Image image = Image.fromDoubles(GEOMETRY, ElementType.UCHAR, new double[] {1, 2, 3, 4, 5, 255});

    assertThat(ImageReport.of(image).toText().lines())
        .containsExactly(
            "size          3 x 2",
            "spacing       0.5 1.366",
            "origin        -10 2.25",
            "direction     0 -1 | 1 0  (rows)",
            "element type  MET_UCHAR (uint8_t), 1 channel",
            "voxels        6",
            "min           1",
            "max           255",
            "sum           270");
  }

  @Test
  void jsonHasTheFieldsInOrderAsNumbers() throws Exception {
    Image image =
        Image.fromDoubles(GEOMETRY, ElementType.FLOAT, new double[] {0.5, -1.25, 3, 0, 0, 2});

    JsonNode json = new ObjectMapper().readTree(ImageReport.of(image).toJson());

    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
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
            "sum");
    assertThat(json.get("spacing").get(1).asDouble()).isEqualTo(1.366);
    assertThat(json.get("min").asDouble()).isEqualTo(-1.25);
    assertThat(json.get("sum").asDouble()).isEqualTo(4.25);
    assertThat(json.get("componentType").asText()).isEqualTo("float");
  }

  @Test
  void sixtyFourBitSumsDoNotOverflow() {
    ImageGeometry line = ImageGeometry.of(3, 1);
    ByteBuffer voxels = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    voxels.putLong(Long.MAX_VALUE).putLong(Long.MAX_VALUE).putLong(-1L);

    ImageReport signed = ImageReport.of(new Image(line, ElementType.LONG_LONG, voxels.array()));
    ImageReport unsigned = ImageReport.of(new Image(line, ElementType.ULONG_LONG, voxels.array()));

    BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
    assertThat(signed.sum()).isEqualTo(max.multiply(BigInteger.TWO).subtract(BigInteger.ONE));
    assertThat(signed.min()).isEqualTo(-1L);
    BigInteger twoTo64Minus1 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    assertThat(unsigned.max()).isEqualTo(twoTo64Minus1);
    assertThat(unsigned.sum()).isEqualTo(max.multiply(BigInteger.TWO).add(twoTo64Minus1));
  }

  @Test
  void floatingPointSumIsCompensatedAndNanVoxelsAreSkippedByMinMax() {
    ImageGeometry g = ImageGeometry.of(4, 1);
    Image cancel = Image.fromDoubles(g, ElementType.DOUBLE, new double[] {1e16, 1, -1e16, 1});
    Image withNan = Image.fromDoubles(g, ElementType.FLOAT, new double[] {2, Double.NaN, -3, 1});

    assertThat(ImageReport.of(cancel).sum()).isEqualTo(2.0);
    ImageReport nan = ImageReport.of(withNan);
    assertThat(List.of(nan.min(), nan.max())).containsExactly(-3.0, 2.0);
    assertThat((Double) nan.sum()).isNaN();
  }

  @Test
  void wrapSharesTheArrayAndBufferIsALittleEndianReadOnlyView() {
    byte[] data = {1, 0, 2, 0};
    Image image = Image.wrap(ImageGeometry.of(2, 1), ElementType.USHORT, data);

    ByteBuffer view = image.buffer();

    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(view.getShort(2)).isEqualTo((short) 2);
    assertThat(image.voxel(1)).isEqualTo(2.0);
  }
}
