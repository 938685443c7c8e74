package io.spineflow.dashboard;

import io.spineflow.imaging.render.Slice2D;
import io.spineflow.imaging.render.SliceRenderer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Draws a gallery slice as PNG with {@link SliceRenderer}: the MR slice with the predicted classes
 * or the ground truth overlaid, in the overlay's class colours. The last {@value #CACHED} pictures
 * are cached (a gallery slice never changes under the same {@code at}).
 */
public final class GalleryImages {
  /** Which classes are overlaid. */
  public enum Layer {
    PREDICTION,
    TRUTH
  }

  static final int CACHED = 64;

  /** The page shows the class legend once; the pictures carry none. */
  private final SliceRenderer renderer =
      new SliceRenderer(new SliceRenderer.Options(0.5, 99.5, 0.45, false, 256));

  private final Map<String, byte[]> cache =
      new LinkedHashMap<>(CACHED, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
          return size() > CACHED;
        }
      };

  /** The PNG of {@code entry}'s {@code layer}; empty for the truth of an unlabelled slice. */
  public Optional<byte[]> png(GalleryEntry entry, Layer layer) {
    GalleryPart.SliceImage slice = entry.slice();
    byte[] classes = layer == Layer.PREDICTION ? entry.mask().classes() : slice.label();
    if (classes == null) {
      return Optional.empty();
    }
    String cacheKey = entry.key() + "|" + entry.at() + "|" + layer;
    synchronized (cache) {
      byte[] cached = cache.get(cacheKey);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    byte[] png = encode(render(slice, classes));
    synchronized (cache) {
      cache.put(cacheKey, png);
    }
    return Optional.of(png);
  }

  BufferedImage render(GalleryPart.SliceImage slice, byte[] classes) {
    int n = slice.width() * slice.height();
    float[] grey = new float[n];
    float[] overlay = new float[n];
    for (int i = 0; i < n; i++) {
      grey[i] = (slice.pixels()[i] & 0xFF) / 255f;
      int c = classes[i] & 0xFF;
      overlay[i] = c <= 3 ? c : 0;
    }
    return renderer.render(
        new Slice2D(
            slice.width(), slice.height(), grey, slice.pixelWidthMm(), slice.pixelHeightMm()),
        new Slice2D(
            slice.width(), slice.height(), overlay, slice.pixelWidthMm(), slice.pixelHeightMm()));
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
