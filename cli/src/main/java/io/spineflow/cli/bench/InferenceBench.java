package io.spineflow.cli.bench;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.model.Devices;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.UNetConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench inference}: slices/s of the bare predictor with batches of {@code batch} ÷ with
 * batches of 1, on the same model and slices, rounds interleaved so both see the same machine.
 */
final class InferenceBench {
  private InferenceBench() {}

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

  static double run(UNetConfig config, int slices, int batch, int rounds, PrintWriter out)
      throws TranslateException {
    List<SliceInput> inputs = BenchSlices.inputs(slices, config.inputWidth(), 7);
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1);
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      rate(predictor, inputs.subList(0, Math.min(16, slices)), batch);
      double[] single = new double[rounds];
      double[] batched = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        single[r] = rate(predictor, inputs, 1);
        batched[r] = rate(predictor, inputs, batch);
        out.printf(
            Locale.ROOT,
            "round %d: batch 1 %.1f slices/s, batch %d %.1f slices/s%n",
            r + 1,
            single[r],
            batch,
            batched[r]);
      }
      double ratio = Percentiles.median(batched) / Percentiles.median(single);
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
          ratio);
      return ratio;
    }
  }
}
