package io.spineflow.imaging.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.api.Test;

class SliceExtractorTest {

  /** A 4x5x6 image whose voxel (x, y, z) holds x + 10 y + 100 z. */
  private static Image coded(double[] spacing, double[] direction) {
    int[] size = {4, 5, 6};
    double[] values = new double[4 * 5 * 6];
    for (int z = 0; z < 6; z++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 4; x++) {
          values[x + 4 * (y + 5 * z)] = x + 10 * y + 100 * z;
        }
      }
    }
    return Image.fromDoubles(
        new ImageGeometry(size, spacing, new double[3], direction), ElementType.USHORT, values);
  }

  private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  @Test
  void extractsAsStoredAlongEachAxis() {
    Image image = coded(new double[] {1, 2, 3}, IDENTITY);

    Slice2D across0 = SliceExtractor.extract(image, 0, 2);
    assertThat(across0.width()).isEqualTo(5);
    assertThat(across0.height()).isEqualTo(6);
    assertThat(across0.value(3, 4)).isEqualTo(2 + 30 + 400);
    assertThat(across0.pixelWidthMm()).isEqualTo(2);
    assertThat(across0.pixelHeightMm()).isEqualTo(3);

    Slice2D across1 = SliceExtractor.extract(image, 1, 4);
    assertThat(across1.value(1, 5)).isEqualTo(1 + 40 + 500);

    Slice2D across2 = SliceExtractor.extract(image, 2, 5);
    assertThat(across2.width()).isEqualTo(4);
    assertThat(across2.height()).isEqualTo(5);
    assertThat(across2.value(3, 0)).isEqualTo(3 + 0 + 500);
  }

  @Test
  void displaysSagittalSlicesSuperiorUpAndAnteriorLeft() {
    // Axis 0 runs towards inferior (-z), axis 1 towards anterior (-y), axis 2 is left-right.
    double[] direction = {
      0, 0, 1, //
      0, -1, 0, //
      -1, 0, 0
    };
    Image image = coded(new double[] {0.8, 0.8, 4}, direction);

    Slice2D slice = SliceExtractor.extractForDisplay(image, 2, 3);

    // Rows follow axis 0: row 0 is index 0, the most superior voxel.
    assertThat(slice.height()).isEqualTo(4);
    assertThat(slice.width()).isEqualTo(5);
    // Columns follow axis 1 reversed: column 0 is index 4, the most anterior voxel.
    assertThat(slice.value(0, 0)).isEqualTo(0 + 40 + 300);
    assertThat(slice.value(4, 3)).isEqualTo(3 + 0 + 300);
  }

  @Test
  void displaysSagittalSlicesOfAnIdentityLayoutUpright() {
    Image image = coded(new double[] {4, 1, 1}, IDENTITY);

    Slice2D slice = SliceExtractor.extractForDisplay(image, 0, 1);

    // z grows superiorly, so the top row is the last z; y grows posteriorly, so it runs rightwards.
    assertThat(slice.value(0, 0)).isEqualTo(1 + 0 + 500);
    assertThat(slice.value(4, 5)).isEqualTo(1 + 40 + 0);
  }

  @Test
  void rejectsSlicesOutsideTheImage() {
    Image image = coded(new double[] {1, 1, 1}, IDENTITY);
    assertThatThrownBy(() -> SliceExtractor.extract(image, 0, 4))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> SliceExtractor.extract(image, 3, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
