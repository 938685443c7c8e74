package io.spineflow.imaging.render;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a 2D slice as a greyscale picture, windowed by percentiles of its own values (MR
 * intensities have no fixed scale), optionally with a semi-transparent overlay of the four
 * segmentation classes (0 none, 1 vertebrae, 2 spinal canal, 3 discs) and a small legend. Pixels
 * are resampled to their physical aspect ratio. Pure {@link BufferedImage}; works headless.
 */
public final class SliceRenderer {

  /** The overlay classes, their names and colours; index = class value. */
  public static final List<String> CLASS_NAMES =
      List.of("background", "vertebrae", "spinal canal", "discs");

  private static final Color[] CLASS_COLOURS = {
    null, new Color(255, 190, 0), new Color(0, 170, 255), new Color(255, 40, 170)
  };

  /**
   * How to render.
   *
   * @param lowPercentile intensity percentile shown black (e.g. 0.5)
   * @param highPercentile intensity percentile shown white (e.g. 99.5)
   * @param overlayAlpha opacity of the class colours over the greyscale, 0-1
   * @param legend draw the class legend when there is an overlay
   * @param minimumHeight upscale small slices so the output is at least this many pixels high
   */
  public record Options(
      double lowPercentile,
      double highPercentile,
      double overlayAlpha,
      boolean legend,
      int minimumHeight) {

    public Options {
      if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
        throw new IllegalArgumentException(
            "percentiles must satisfy 0 <= low < high <= 100: "
                + lowPercentile
                + ", "
                + highPercentile);
      }
      if (!(overlayAlpha >= 0 && overlayAlpha <= 1)) {
        throw new IllegalArgumentException("overlayAlpha must be in [0, 1]: " + overlayAlpha);
      }
    }

    /** 0.5-99.5 percentile window, 45% overlay, legend, at least 256 pixels high. */
    public static Options defaults() {
      return new Options(0.5, 99.5, 0.45, true, 256);
    }
  }

  private final Options options;

  public SliceRenderer() {
    this(Options.defaults());
  }

  public SliceRenderer(Options options) {
    this.options = options;
  }

  /** The slice in greyscale. */
  public BufferedImage render(Slice2D slice) {
    return render(slice, null);
  }

  /**
   * The slice in greyscale with {@code classes} (values 0-3, same size; null for none) overlaid.
   */
  public BufferedImage render(Slice2D slice, Slice2D classes) {
    if (classes != null
        && (classes.width() != slice.width() || classes.height() != slice.height())) {
      throw new IllegalArgumentException("overlay " + classes + " does not match slice " + slice);
    }
    float[] values = slice.values();
    double[] window = window(values);
    double low = window[0];
    double range = Math.max(window[1] - window[0], 1e-9);
    float[] labels = classes == null ? null : classes.values();
    BufferedImage native_ =
        new BufferedImage(slice.width(), slice.height(), BufferedImage.TYPE_INT_RGB);
    double alpha = options.overlayAlpha();
    for (int y = 0; y < slice.height(); y++) {
      for (int x = 0; x < slice.width(); x++) {
        int i = x + slice.width() * y;
        double grey = 255 * Math.max(0, Math.min(1, (values[i] - low) / range));
        double r = grey;
        double g = grey;
        double b = grey;
        int label = labels == null ? 0 : Math.round(labels[i]);
        if (label > 0 && label < CLASS_COLOURS.length) {
          Color c = CLASS_COLOURS[label];
          r = (1 - alpha) * grey + alpha * c.getRed();
          g = (1 - alpha) * grey + alpha * c.getGreen();
          b = (1 - alpha) * grey + alpha * c.getBlue();
        }
        native_.setRGB(x, y, ((int) r << 16) | ((int) g << 8) | (int) b);
      }
    }
    BufferedImage out = resample(native_, slice.pixelWidthMm(), slice.pixelHeightMm());
    if (classes != null && options.legend()) {
      drawLegend(out);
    }
    return out;
  }

  /** Writes {@code image} as a PNG file, creating parent directories. */
  public static void writePng(BufferedImage image, Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", path.toFile())) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Colour of overlay class {@code value} (1-3). */
  public static Color classColour(int value) {
    if (value < 1 || value >= CLASS_COLOURS.length) {
      throw new IllegalArgumentException("no overlay colour for class " + value);
    }
    return CLASS_COLOURS[value];
  }

  private double[] window(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    return new double[] {
      percentile(sorted, options.lowPercentile()), percentile(sorted, options.highPercentile())
    };
  }

  private static double percentile(float[] sorted, double p) {
    double position = p / 100 * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    double f = position - below;
    return sorted[below] * (1 - f) + sorted[above] * f;
  }

  /** Square physical pixels, and at least the minimum height. */
  private BufferedImage resample(BufferedImage in, double pixelWidth, double pixelHeight) {
    double unit = Math.min(pixelWidth, pixelHeight);
    double width = in.getWidth() * pixelWidth / unit;
    double height = in.getHeight() * pixelHeight / unit;
    double zoom = Math.max(1, options.minimumHeight() / height);
    int w = Math.max(1, (int) Math.round(width * zoom));
    int h = Math.max(1, (int) Math.round(height * zoom));
    if (w == in.getWidth() && h == in.getHeight()) {
      return in;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(in, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void drawLegend(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      FontMetrics metrics = g.getFontMetrics();
      int line = Math.max(metrics.getHeight(), 12);
      int box = line - 4;
      int textWidth = 0;
      for (int c = 1; c < CLASS_NAMES.size(); c++) {
        textWidth = Math.max(textWidth, metrics.stringWidth(CLASS_NAMES.get(c)));
      }
      int width = 4 + box + 4 + textWidth + 4;
      int height = 4 + line * (CLASS_NAMES.size() - 1);
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
      g.setColor(Color.BLACK);
      g.fillRect(2, 2, width, height);
      g.setComposite(AlphaComposite.SrcOver);
      for (int c = 1; c < CLASS_NAMES.size(); c++) {
        int top = 4 + line * (c - 1);
        g.setColor(CLASS_COLOURS[c]);
        g.fillRect(6, top + 2, box, box);
        g.setColor(Color.WHITE);
        g.drawString(CLASS_NAMES.get(c), 6 + box + 4, top + metrics.getAscent());
      }
    } finally {
      g.dispose();
    }
  }
}
