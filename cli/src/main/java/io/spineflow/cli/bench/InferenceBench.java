package io.spineflow.cli.bench;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.model.Devices;
import io.spineflow.model.MatmulPeak;
import io.spineflow.model.ModelFlops;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.UNetConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench inference}: slices/s of the bare predictor with batches of {@code batch} ÷ with
 * batches of 1, on the same model and slices, rounds interleaved so both see the same machine; and
 * how close the batched predictor runs to this machine's limit: the model's operations per slice
 * times slices/s, against a large matrix product through the same engine, measured in the same run.
 */
final class InferenceBench {
  private InferenceBench() {}

  /**
   * The figures of one run.
   *
   * @param batchGain batched slices/s ÷ single-slice slices/s
   * @param gflopsPerSlice the model's operations per slice (convolutions), in billions
   * @param achievedGflops operations per second of the batched predictor, in billions
   * @param peakGflops the engine's large-matrix-product rate on this machine, in billions
   */
  record Figures(
      double batchGain, double gflopsPerSlice, double achievedGflops, double peakGflops) {
    double peakFraction() {
      return achievedGflops / peakGflops;
    }
  }

  /** Slices per second of {@code predictor} over {@code slices} in batches of {@code batch}. */
  static double rate(
      Predictor<SliceInput, Segmentation> predictor, List<SliceInput> slices, int batch)
      throws TranslateException {
    long start = System.nanoTime();
    for (int i = 0; i < slices.size(); i += batch) {
      predictor.batchPredict(slices.subList(i, Math.min(slices.size(), i + batch)));
    }
    return slices.size() / ((System.nanoTime() - start) / 1e9);
  }

  static Figures run(UNetConfig config, int slices, int batch, int rounds, PrintWriter out)
      throws Exception {
    List<SliceInput> inputs = BenchSlices.inputs(slices, config.inputWidth(), 7);
    ModelFlops flops = ModelFlops.count(config);
    SideBySide.Rounds measured;
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1);
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      measured =
          SideBySide.run(
              1,
              rounds,
              r -> rate(predictor, inputs, 1),
              r -> rate(predictor, inputs, batch),
              (r, single, batched) ->
                  out.printf(
                      Locale.ROOT,
                      "round %d: batch 1 %.1f slices/s, batch %d %.1f slices/s%n",
                      r + 1,
                      single,
                      batch,
                      batched));
    }
    // After the model, so the product does not warm caches the model's first round then finds.
    MatmulPeak peak = MatmulPeak.measure(Devices.best(), MatmulPeak.DEFAULT_SIZE, 5);
    double achieved = flops.gflops() * measured.secondMedian();
    Figures f = new Figures(measured.ratio(), flops.gflops(), achieved, peak.gflopsPerSecond());
    out.printf(
        Locale.ROOT,
        "%s model %dx%d on %s, %d slices, median of %d rounds: batch %d gives %.2fx batch 1%n",
        config.variant(),
        config.inputWidth(),
        config.inputHeight(),
        Devices.best(),
        slices,
        rounds,
        batch,
        f.batchGain());
    out.printf(
        Locale.ROOT,
        "model %.3f GFLOP per slice (convolutions) x %.1f slices/s = %.2f GFLOP/s; engine peak"
            + " (%dx%d float32 matmul) %.2f GFLOP/s: the model runs at %.0f%% of it%n",
        f.gflopsPerSlice(),
        measured.secondMedian(),
        f.achievedGflops(),
        peak.size(),
        peak.size(),
        f.peakGflops(),
        100 * f.peakFraction());
    return f;
  }
}
