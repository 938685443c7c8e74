package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @Test
  void plainUNetCountMatchesTheFormulaDerivedFromTheArchitecture() {
    UNetConfig plain =
        UNetConfig.profile("cpu")
            .withWidths(8, 3, 64)
            .withInputSize(64, 96)
            .withVariant(UNetVariant.PLAIN_UNET);
    assertThat(ModelFlops.count(plain).flops()).isEqualTo(expectedPlainFlops(plain));
  }

  @Test
  void aFullyConvolutionalNetCostsFourTimesAsMuchOnTwiceTheSide() {
    UNetConfig small = UNetConfig.profile("cpu").withInputSize(64, 64);
    UNetConfig large = UNetConfig.profile("cpu").withInputSize(128, 128);
    assertThat(ModelFlops.count(large).flops()).isEqualTo(4 * ModelFlops.count(small).flops());
  }

  @Test
  void theCpuProfileIsAboutOneGigaflopPerSlice() {
    // Pinned so an architecture change shows up here and in bench inference's report.
    double gflops = ModelFlops.count(UNetConfig.profile("cpu")).gflops();
    assertThat(gflops).isBetween(0.3, 3.0);
  }

  @Test
  void theMatmulPeakIsAPositiveFiniteRate() {
    MatmulPeak peak = MatmulPeak.measure(Device.cpu(), 128, 3);
    assertThat(peak.size()).isEqualTo(128);
    assertThat(peak.gflopsPerSecond()).isPositive().isFinite();
  }

  /**
   * Two operations per multiply-add, for 3×3 'same' convolutions, 2×2 up-convolutions, 1×1 head.
   */
  private static long expectedPlainFlops(UNetConfig c) {
    long h = c.inputHeight();
    long w = c.inputWidth();
    int d = c.depth();
    long total = 0;
    long in = 1;
    for (int i = 0; i < d; i++) {
      long pixels = (h >> i) * (w >> i);
      long width = c.levelWidth(i);
      total += conv3x3(in, width, pixels) + conv3x3(width, width, pixels);
      in = width;
    }
    long bottom = (h >> d) * (w >> d);
    long b = c.bottleneckChannels();
    total += conv3x3(in, b, bottom) + conv3x3(b, b, bottom);
    for (int i = d - 1; i >= 0; i--) {
      long below = i == d - 1 ? b : c.levelWidth(i + 1);
      long width = c.levelWidth(i);
      long coarse = (h >> (i + 1)) * (w >> (i + 1));
      total += 2L * 4 * width * below * coarse;
      long pixels = (h >> i) * (w >> i);
      total += conv3x3(2 * width, width, pixels) + conv3x3(width, width, pixels);
    }
    total += 2L * c.classes() * c.levelWidth(0) * h * w;
    return total;
  }

  private static long conv3x3(long in, long out, long pixels) {
    return 2L * out * pixels * in * 9;
  }
}
