package io.spineflow.imaging.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceRendererTest {

  /** 100x100, intensity growing left to right from 0 to 990. */
  private static Slice2D ramp() {
    float[] values = new float[100 * 100];
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        values[x + 100 * y] = 10 * x;
      }
    }
    return Slice2D.of(100, 100, values);
  }

  private static SliceRenderer plainRenderer() {
    return new SliceRenderer(new SliceRenderer.Options(1, 99, 0.5, true, 0));
  }

  @Test
  void windowsIntensitiesByPercentiles() {
    BufferedImage image = plainRenderer().render(ramp());

    assertThat(image.getWidth()).isEqualTo(100);
    assertThat(new Color(image.getRGB(0, 50)).getRed()).isZero();
    assertThat(new Color(image.getRGB(99, 50)).getRed()).isEqualTo(255);
    int middle = new Color(image.getRGB(50, 50)).getRed();
    assertThat(middle).isBetween(110, 145);
    Color grey = new Color(image.getRGB(50, 50));
    assertThat(grey.getGreen()).isEqualTo(grey.getRed()).isEqualTo(grey.getBlue());
  }

  @Test
  void overlaysClassesInTheirColoursWithALegend() {
    float[] classes = new float[100 * 100];
    for (int y = 60; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        classes[x + 100 * y] = 1 + (x / 34); // bands of classes 1, 2, 3
      }
    }
    BufferedImage image = plainRenderer().render(ramp(), Slice2D.of(100, 100, classes));

    Color vertebra = new Color(image.getRGB(20, 80));
    Color canal = new Color(image.getRGB(50, 80));
    Color disc = new Color(image.getRGB(85, 80));
    assertThat(vertebra.getRed()).isGreaterThan(vertebra.getBlue() + 60);
    assertThat(canal.getBlue()).isGreaterThan(canal.getRed() + 60);
    assertThat(disc.getRed()).isGreaterThan(disc.getGreen() + 60);
    // Unlabelled pixels stay grey.
    Color plain = new Color(image.getRGB(50, 55));
    assertThat(plain.getRed()).isEqualTo(plain.getBlue());
    // The legend's first swatch, top left, is the vertebra colour.
    assertThat(new Color(image.getRGB(8, 7))).isEqualTo(SliceRenderer.classColour(1));
  }

  @Test
  void keepsThePhysicalAspectRatioAndUpscalesSmallSlices() {
    Slice2D thick = new Slice2D(10, 40, new float[400], 4.0, 1.0);
    BufferedImage image = new SliceRenderer().render(thick);

    // 40 mm by 40 mm, shown at least 256 pixels high.
    assertThat(image.getHeight()).isGreaterThanOrEqualTo(256);
    assertThat(image.getWidth()).isEqualTo(image.getHeight());
  }

  @Test
  void writesReadablePngs(@TempDir Path dir) throws Exception {
    BufferedImage image = plainRenderer().render(ramp());
    Path file = dir.resolve("nested/ramp.png");

    SliceRenderer.writePng(image, file);

    BufferedImage back = ImageIO.read(file.toFile());
    assertThat(back.getWidth()).isEqualTo(100);
    assertThat(back.getRGB(99, 0)).isEqualTo(image.getRGB(99, 0));
  }

  @Test
  void composesContactSheets() {
    BufferedImage a = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
    BufferedImage b = new BufferedImage(40, 10, BufferedImage.TYPE_INT_RGB);
    BufferedImage c = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);

    BufferedImage sheet = ContactSheet.compose(List.of(a, b, c), List.of("a", "b", "c"), 2);

    // Two columns of 40-pixel cells, two rows of 20-pixel tiles plus captions.
    assertThat(sheet.getWidth()).isEqualTo(4 + 2 * (40 + 4));
    assertThat(sheet.getHeight()).isEqualTo(4 + 2 * (20 + 16 + 4));
  }
}
