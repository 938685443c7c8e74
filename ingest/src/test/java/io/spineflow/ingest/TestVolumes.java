package io.spineflow.ingest;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metaimage.MetaImageWriter;

/** Small deterministic images and label masks for tests that need no anatomy. */
final class TestVolumes {
  private TestVolumes() {}

  /** An unsigned 16-bit image with an oblique-free, anisotropic geometry; voxels depend on seed. */
  static Image image(int seed, int nx, int ny, int nz) {
    ImageGeometry geometry =
        new ImageGeometry(
            new int[] {nx, ny, nz},
            new double[] {0.5, 0.5, 3.3},
            new double[] {-12.5, 40.0, 7.25},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    double[] values = new double[nx * ny * nz];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 31L + seed * 977L) % 2000;
    }
    return Image.fromDoubles(geometry, ElementType.USHORT, values);
  }

  static Image image(int seed) {
    return image(seed, 16, 12, 4);
  }

  /** A uint8 label mask on {@code image}'s grid (SPIDER-like labels 0, 1, 100, 201). */
  static Image maskFor(Image image) {
    int count = (int) image.voxelCount();
    double[] labels = new double[count];
    int[] palette = {0, 1, 100, 201};
    for (int i = 0; i < count; i++) {
      labels[i] = palette[(i / 7) % palette.length];
    }
    return Image.fromDoubles(image.geometry(), ElementType.UCHAR, labels);
  }

  /** The same mask on a grid shifted by {@code mm} along x. */
  static Image shiftedMaskFor(Image image, double mm) {
    ImageGeometry g = image.geometry();
    double[] origin = g.origin();
    origin[0] += mm;
    Image mask = maskFor(image);
    return new Image(
        new ImageGeometry(g.size(), g.spacing(), origin, g.direction()), mask.type(), mask.data());
  }

  static byte[] mha(Image image) {
    return MetaImageWriter.toMhaBytes(image, MetaImageWriter.Compression.NONE);
  }
}
