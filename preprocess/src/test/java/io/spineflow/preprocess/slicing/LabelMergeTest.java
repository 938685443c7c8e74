package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelMergeTest {

  @ParameterizedTest(name = "SPIDER {0} -> class {1}")
  @CsvSource({
    "0, 0", "1, 1", "7, 1", "25, 1", "99, 1", "100, 2", "101, 1", "125, 1", "199, 1", "200, 3",
    "201, 3", "225, 3", "299, 3"
  })
  void everySpiderRangeMapsToItsClass(int value, int expected) {
    assertThat(LabelMerge.classOf(value)).isEqualTo((byte) expected);
  }

  @ParameterizedTest(name = "{0} is rejected")
  @ValueSource(doubles = {-1, -200, 300, 301, 1000, 65535, 1.5, 100.25, Double.NaN})
  void valuesOutsideTheRangesRejectTheStudyNamingTheValue(double value) {
    assertThatThrownBy(() -> LabelMerge.classOf(value))
        .isInstanceOfSatisfying(
            StudyRejectedException.class,
            e -> {
              assertThat(e.reasonCode()).isEqualTo("UNKNOWN_LABEL_VALUE");
              assertThat(e.field()).isEqualTo("label");
              assertThat(e.limit()).contains("100 (canal)");
              String shown =
                  value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
              assertThat(e.getMessage()).contains("label value " + shown + " ");
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = ElementType.class,
      names = {"UCHAR", "USHORT", "SHORT", "INT", "UINT", "FLOAT", "DOUBLE"})
  void mergesAWholeMaskOfAnyIntegerLikeType(ElementType type) {
    double[] values = {0, 1, 25, 100, 101, 125, 201, 225, 0, 7, 100, 207};
    Image mask = Image.fromDoubles(ImageGeometry.of(3, 2, 2), type, values);
    byte[] classes = LabelMerge.merge(mask);
    assertThat(classes).containsExactly(0, 1, 1, 2, 1, 1, 3, 3, 0, 1, 2, 3);
  }

  @ParameterizedTest
  @CsvSource({
    "CHAR, -3, -3",
    "SHORT, -3, -3",
    "USHORT, 300, 300",
    "INT, 512, 512",
    "FLOAT, 2.5, 2.5"
  })
  void aMaskWithAnUnknownValueIsRejectedWhateverItsType(
      ElementType type, double bad, String shown) {
    Image mask = Image.fromDoubles(ImageGeometry.of(2, 2, 1), type, new double[] {0, 1, bad, 100});
    assertThatThrownBy(() -> LabelMerge.merge(mask))
        .isInstanceOf(StudyRejectedException.class)
        .hasMessageContaining("label value " + shown + " ");
  }

  @Test
  void aSigned8BitMaskMergesTheValuesItCanHold() {
    Image mask =
        Image.fromDoubles(
            ImageGeometry.of(2, 2, 1), ElementType.CHAR, new double[] {0, 7, 100, 125});
    assertThat(LabelMerge.merge(mask)).containsExactly(0, 1, 2, 1);
  }
}
