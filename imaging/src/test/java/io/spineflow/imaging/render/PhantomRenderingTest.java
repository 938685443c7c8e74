package io.spineflow.imaging.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Renders the mid-sagittal slice of a phantom of each sequence, as the visual check does ({@link
 * PhantomPreview} writes the full set to /tmp/phantom-check for a human to look at), and checks the
 * picture is upright: discs and vertebrae in front of (left of) the canal, the canal a vertical
 * band. Set {@code -Dphantom.check.dir=/tmp/phantom-check} to keep the PNGs.
 */
class PhantomRenderingTest {

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void midSagittalSliceRendersUprightWithAllClasses(Sequence sequence, @TempDir Path temp)
      throws Exception {
    Path dir = Path.of(System.getProperty("phantom.check.dir", temp.toString()));
    PhantomStudy study =
        new PhantomGenerator().generate(PhantomSpec.of(sequence, 4).withSizeScale(0.5));
    int axis = study.truth().sagittalAxis();
    int mid = study.truth().midSagittalSlice();
    Slice2D image = SliceExtractor.extractForDisplay(study.image(), axis, mid);
    Slice2D classes = merged(SliceExtractor.extractForDisplay(study.mask(), axis, mid));

    // In the displayed slice, anterior is left: each row crossing a disc and the canal has the
    // disc to the left of the canal.
    int rowsChecked = 0;
    for (int y = 0; y < classes.height(); y++) {
      int disc = firstColumn(classes, y, 3);
      int canal = firstColumn(classes, y, 2);
      if (disc >= 0 && canal >= 0) {
        assertThat(disc).as("row %d", y).isLessThan(canal);
        rowsChecked++;
      }
    }
    assertThat(rowsChecked).isGreaterThan(10);
    // Superior is up: the partly visible top vertebra touches row 0, the sacrum side does not.
    assertThat(rowHasClass(classes, 0, 1)).isTrue();

    Path plain = dir.resolve(study.studyId() + "-mid.png");
    Path overlay = dir.resolve(study.studyId() + "-mid-overlay.png");
    SliceRenderer renderer = new SliceRenderer();
    SliceRenderer.writePng(renderer.render(image), plain);
    SliceRenderer.writePng(renderer.render(image, classes), overlay);

    assertThat(Files.size(plain)).isGreaterThan(1000);
    BufferedImage coloured = ImageIO.read(overlay.toFile());
    assertThat(coloured.getHeight()).isGreaterThanOrEqualTo(256);
    assertThat(hasTint(coloured, SliceRenderer.classColour(2))).isTrue();
    assertThat(hasTint(coloured, SliceRenderer.classColour(3))).isTrue();
  }

  private static int firstColumn(Slice2D slice, int row, int value) {
    for (int x = 0; x < slice.width(); x++) {
      if (slice.value(x, row) == value) {
        return x;
      }
    }
    return -1;
  }

  private static boolean rowHasClass(Slice2D slice, int row, int value) {
    return firstColumn(slice, row, value) >= 0;
  }

  /** Some pixel whose colour leans clearly towards {@code colour}'s dominant channel. */
  private static boolean hasTint(BufferedImage image, Color colour) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        Color c = new Color(image.getRGB(x, y));
        boolean blueish = c.getBlue() > c.getRed() + 60;
        boolean magenta = c.getRed() > c.getGreen() + 80 && c.getBlue() > c.getGreen() + 40;
        if (colour.getBlue() > colour.getRed() ? blueish : magenta) {
          return true;
        }
      }
    }
    return false;
  }

  /** SPIDER labels to the 4 display classes, only for this test (the pipeline owns the merge). */
  private static Slice2D merged(Slice2D labels) {
    float[] v = labels.values();
    for (int i = 0; i < v.length; i++) {
      int label = Math.round(v[i]);
      v[i] = label == 0 ? 0 : label == 100 ? 2 : label >= 200 ? 3 : 1;
    }
    return new Slice2D(
        labels.width(), labels.height(), v, labels.pixelWidthMm(), labels.pixelHeightMm());
  }
}
