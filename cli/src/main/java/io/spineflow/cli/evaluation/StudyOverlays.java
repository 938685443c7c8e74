package io.spineflow.cli.evaluation;

import io.spineflow.cli.studies.ScopedSlice;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.render.Slice2D;
import io.spineflow.imaging.render.SliceRenderer;
import io.spineflow.preprocess.slicing.SagittalSlice;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * One picture per evaluated study, for a person to check what the figures say: the study's most
 * labelled spine-region slice as preprocess made it, side by side with its manual label and with
 * the model's prediction. Rows outside the labelled extent are darkened in the label panel (there a
 * 0 means "not labelled", not background).
 */
final class StudyOverlays {
  private final Path dir;
  private final SliceRenderer renderer = new SliceRenderer();
  private ScopedSlice best;
  private byte[] bestPrediction;
  private int bestLabelled = -1;

  /**
   * @param dir where {@code NAME.png} files go
   */
  StudyOverlays(Path dir) {
    this.dir = dir;
  }

  /** Offers one predicted slice of the current study; keeps the one with the most labels. */
  void offer(ScopedSlice slice, byte[] predicted) {
    int labelled = 0;
    for (byte b : slice.slice().label()) {
      labelled += b != 0 ? 1 : 0;
    }
    if (labelled > bestLabelled) {
      best = slice;
      bestPrediction = predicted.clone();
      bestLabelled = labelled;
    }
  }

  /** Writes the current study's picture and starts the next study. */
  void finish(String studyName) {
    if (best == null) {
      return;
    }
    SagittalSlice s = best.slice();
    BufferedImage image = renderer.render(slice2D(s, toFloats(s.pixels())));
    BufferedImage truth =
        renderer.render(slice2D(s, toFloats(s.pixels())), slice2D(s, toFloats(s.label())));
    darkenUnlabelledRows(truth, best.scope(), s.height());
    BufferedImage predicted =
        renderer.render(slice2D(s, toFloats(s.pixels())), slice2D(s, toFloats(bestPrediction)));
    BufferedImage out =
        new BufferedImage(image.getWidth() * 3, image.getHeight() + 18, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 18, null);
    g.drawImage(truth, image.getWidth(), 18, null);
    g.drawImage(predicted, image.getWidth() * 2, 18, null);
    g.setColor(Color.WHITE);
    g.drawString(studyName + " slice " + s.sliceIndex(), 4, 13);
    g.drawString("manual label", image.getWidth() + 4, 13);
    g.drawString("model", image.getWidth() * 2 + 4, 13);
    g.dispose();
    SliceRenderer.writePng(out, dir.resolve(studyName + ".png"));
    best = null;
    bestPrediction = null;
    bestLabelled = -1;
  }

  private static void darkenUnlabelledRows(BufferedImage img, SliceLabelScope scope, int rows) {
    double scale = img.getHeight() / (double) rows;
    for (int row = 0; row < rows; row++) {
      if (scope.inExtent(row)) {
        continue;
      }
      for (int y = (int) (row * scale); y < Math.min(img.getHeight(), (row + 1) * scale); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y);
          img.setRGB(x, y, (rgb >> 2) & 0x3f3f3f);
        }
      }
    }
  }

  private static Slice2D slice2D(SagittalSlice s, float[] values) {
    return new Slice2D(s.width(), s.height(), values, s.pixelSpacing(), s.pixelSpacing());
  }

  private static float[] toFloats(float[] v) {
    return v;
  }

  private static float[] toFloats(byte[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i];
    }
    return f;
  }
}
