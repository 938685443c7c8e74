package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

  @Test
  void matchesBruteForceOnRandomSitesWithAnisotropicSpacing() {
    SplittableRandom random = new SplittableRandom(42);
    DistanceTransform transform = new DistanceTransform();
    for (int trial = 0; trial < 200; trial++) {
      int width = 1 + random.nextInt(24);
      int height = 1 + random.nextInt(24);
      PixelSpacing spacing =
          new PixelSpacing(0.2 + 3 * random.nextDouble(), 0.2 + 3 * random.nextDouble());
      double density = random.nextDouble() * 0.3;
      boolean[] site = new boolean[width * height];
      for (int i = 0; i < site.length; i++) {
        site[i] = random.nextDouble() < density;
      }
      double[] grid = new double[site.length];
      for (int i = 0; i < site.length; i++) {
        grid[i] = site[i] ? 0 : Double.POSITIVE_INFINITY;
      }

      transform.squaredDistances(grid, width, height, spacing);

      double[] expected = bruteForce(site, width, height, spacing);
      for (int i = 0; i < grid.length; i++) {
        if (Double.isInfinite(expected[i])) {
          assertThat(grid[i]).as("trial %d pixel %d", trial, i).isInfinite();
        } else {
          assertThat(grid[i])
              .as("trial %d pixel %d", trial, i)
              .isCloseTo(expected[i], within(1e-9));
        }
      }
    }
  }

  @Test
  void gridWithoutSitesStaysInfinite() {
    double[] grid = new double[12];
    Arrays.fill(grid, Double.POSITIVE_INFINITY);

    new DistanceTransform().squaredDistances(grid, 4, 3, PixelSpacing.isotropic(1));

    assertThat(grid).containsOnly(Double.POSITIVE_INFINITY);
  }

  @Test
  void singleSiteGivesWeightedSquaredDistances() {
    double[] grid = new double[5 * 4];
    Arrays.fill(grid, Double.POSITIVE_INFINITY);
    grid[0] = 0; // (x 0, y 0)

    new DistanceTransform().squaredDistances(grid, 5, 4, new PixelSpacing(0.5, 2.0));

    // (x 4, y 3): (4 · 0.5)² + (3 · 2)² = 4 + 36
    assertThat(grid[3 * 5 + 4]).isEqualTo(40.0);
    assertThat(grid[4]).isEqualTo(4.0);
    assertThat(grid[3 * 5]).isEqualTo(36.0);
  }

  private static double[] bruteForce(boolean[] site, int width, int height, PixelSpacing s) {
    double[] d = new double[site.length];
    for (int i = 0; i < site.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < site.length; j++) {
        if (site[j]) {
          double dx = (i % width - j % width) * s.columnMm();
          double dy = (i / width - j / width) * s.rowMm();
          best = Math.min(best, dx * dx + dy * dy);
        }
      }
      d[i] = best;
    }
    return d;
  }
}
