package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SliceContactSheetTest {
  @Test
  void rendersARowPerSequenceOfTheStoredSliceAndTheEmittedOnes() {
    BufferedImage sheet =
        SliceContactSheet.render(PreprocessConfig.defaults(Path.of("data")), 7, 0.3);
    // 5 tiles per row (stored + 4 emitted) of at least 256 px, 3 rows.
    assertThat(sheet.getWidth()).isGreaterThan(5 * 256);
    assertThat(sheet.getHeight()).isGreaterThan(3 * 256);
    // The overlay colours are there: some strongly coloured pixels.
    int coloured = 0;
    for (int y = 0; y < sheet.getHeight(); y += 2) {
      for (int x = 0; x < sheet.getWidth(); x += 2) {
        int rgb = sheet.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++;
        }
      }
    }
    assertThat(coloured).isGreaterThan(1000);
  }
}
