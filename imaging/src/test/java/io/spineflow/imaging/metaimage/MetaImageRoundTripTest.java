package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metaimage.MetaImageWriter.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: writing an image and reading it back gives the same voxels (bit for bit, NaN payloads
 * included) and exactly the same geometry, for every element type × compression × {@code .mha} /
 * {@code .mhd} × 2-D / 3-D, with random sizes, spacings, origins and non-identity directions.
 * Seeded, so a failure reproduces.
 */
class MetaImageRoundTripTest {
  private final MetaImageReader reader = new MetaImageReader();

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    long seed = 20_240_601;
    for (ElementType type : ElementType.values()) {
      for (Compression compression : Compression.values()) {
        for (String extension : List.of(".mha", ".mhd")) {
          for (int dims = 2; dims <= 3; dims++) {
            cases.add(Arguments.of(type, compression, extension, dims, seed++));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}-D seed {4}")
  @MethodSource("cases")
  void writeThenReadGivesTheSameImage(
      ElementType type,
      Compression compression,
      String extension,
      int dims,
      long seed,
      @TempDir Path dir)
      throws Exception {
    Random random = new Random(seed);
    Image original = randomImage(random, type, dims);
    Path file = dir.resolve("image" + extension);

    MetaImageWriter.write(original, file, compression);
    MetaImage fromFile = reader.read(file);

    assertSameImage(fromFile.image(), original);
    assertThat(fromFile.header().compressed()).isEqualTo(compression == Compression.ZLIB);
    if (extension.equals(".mhd")) {
      String dataFile = compression == Compression.ZLIB ? "image.zraw" : "image.raw";
      assertThat(fromFile.header().elementDataFile()).isEqualTo(dataFile);
      assertThat(dir.resolve(dataFile)).isRegularFile();
    } else {
      MetaImage fromBytes = reader.read(MetaImageWriter.toMhaBytes(original, compression));
      assertSameImage(fromBytes.image(), original);
      assertThat(Files.readAllBytes(file))
          .isEqualTo(MetaImageWriter.toMhaBytes(original, compression));
    }
  }

  private static void assertSameImage(Image actual, Image expected) {
    assertThat(actual.type()).isEqualTo(expected.type());
    // ImageGeometry.equals compares doubles bit for bit: printing must lose nothing.
    assertThat(actual.geometry()).isEqualTo(expected.geometry());
    assertThat(actual.data()).isEqualTo(expected.data());
  }

  static Image randomImage(Random random, ElementType type, int dims) {
    int[] size = new int[dims];
    double[] spacing = new double[dims];
    double[] origin = new double[dims];
    for (int i = 0; i < dims; i++) {
      size[i] = 1 + random.nextInt(7);
      spacing[i] = 0.05 + 5 * random.nextDouble();
      origin[i] = (random.nextDouble() - 0.5) * 1000;
    }
    ImageGeometry geometry =
        new ImageGeometry(size, spacing, origin, randomDirection(random, dims));
    byte[] voxels = new byte[(int) geometry.voxelCount() * type.bytes()];
    random.nextBytes(voxels); // every bit pattern, including NaNs and extreme values
    return new Image(geometry, type, voxels);
  }

  /** A random rotation, with random axis flips, so no case is the identity. */
  static double[] randomDirection(Random random, int dims) {
    double[] m = new double[dims * dims];
    if (dims == 2) {
      double angle = 0.1 + random.nextDouble() * 6;
      m[0] = Math.cos(angle);
      m[1] = -Math.sin(angle);
      m[2] = Math.sin(angle);
      m[3] = Math.cos(angle);
    } else {
      // Unit quaternion -> rotation matrix.
      double w = random.nextGaussian();
      double x = random.nextGaussian();
      double y = random.nextGaussian();
      double z = random.nextGaussian();
      double norm = Math.sqrt(w * w + x * x + y * y + z * z);
      w /= norm;
      x /= norm;
      y /= norm;
      z /= norm;
      double[] r = {
        1 - 2 * (y * y + z * z),
        2 * (x * y - z * w),
        2 * (x * z + y * w),
        2 * (x * y + z * w),
        1 - 2 * (x * x + z * z),
        2 * (y * z - x * w),
        2 * (x * z - y * w),
        2 * (y * z + x * w),
        1 - 2 * (x * x + y * y)
      };
      System.arraycopy(r, 0, m, 0, 9);
    }
    for (int c = 0; c < dims; c++) {
      if (random.nextBoolean()) {
        for (int r = 0; r < dims; r++) {
          m[r * dims + c] = -m[r * dims + c];
        }
      }
    }
    return m;
  }
}
