package io.spineflow.cli.bench;

import ai.djl.inference.Predictor;
import io.spineflow.events.Mask;
import io.spineflow.model.Devices;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench pipeline}: slices/s from {@code slices} to committed {@code masks} through the
 * inference service (Kafka, transactions, dynamic batching, quality) ÷ slices/s of the bare batched
 * predictor on the same model and slices, in the same run (bare measured before and after).
 */
final class PipelineBench {
  private PipelineBench() {}

  static double run(UNetConfig config, int count, int batch, PrintWriter out) throws Exception {
    List<SliceInput> inputs = BenchSlices.inputs(count, config.inputWidth(), 11);
    try (InferenceRig rig = new InferenceRig(config, batch)) {
      StoredModel stored = rig.storeModel(1);
      double bareBefore = bare(rig, stored, inputs, batch);
      for (int i = 0; i < count; i++) {
        rig.send("bench-" + (i / 50), i % 50, inputs.get(i));
      }
      rig.flush();
      rig.announce(stored);
      List<Mask> masks = rig.awaitMasks(InferenceRig.newList(), count, Duration.ofMinutes(10));
      if (masks.size() < count) {
        throw new IllegalStateException("only " + masks.size() + " of " + count + " masks arrived");
      }
      // Steady-state rate: from the first committed batch to the last (model loading excluded).
      Mask first = masks.get(0);
      Mask last = masks.get(masks.size() - 1);
      double seconds =
          Duration.between(first.getProducedAt(), last.getProducedAt()).toNanos() / 1e9;
      double pipeline = (count - first.getBatchSize()) / seconds;
      double bareAfter = bare(rig, stored, inputs, batch);
      double bareRate = (bareBefore + bareAfter) / 2;
      double ratio = pipeline / bareRate;
      out.printf(
          Locale.ROOT,
          "bare predictor, batch %d: %.1f slices/s before, %.1f after%n",
          batch,
          bareBefore,
          bareAfter);
      out.printf(
          Locale.ROOT,
          "through Kafka (slices -> inference -> masks + quality, exactly-once): %.1f slices/s,"
              + " mean batch %.1f%n",
          pipeline,
          masks.stream().mapToInt(Mask::getBatchSize).average().orElse(0));
      out.printf(
          Locale.ROOT,
          "%s %dx%d, %d slices: pipeline / bare = %.3f (target >= 0.90)%n",
          config.variant(),
          config.inputWidth(),
          config.inputHeight(),
          count,
          ratio);
      return ratio;
    }
  }

  private static double bare(
      InferenceRig rig, StoredModel stored, List<SliceInput> inputs, int batch) throws Exception {
    try (SegmentationModel model =
            rig.store.load(
                stored.name(), stored.version(), stored.sha256(), stored.config(), Devices.best());
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      // A whole pass first: the first batches of a fresh predictor run slower (allocator, JIT).
      InferenceBench.rate(predictor, inputs, batch);
      return InferenceBench.rate(predictor, inputs, batch);
    }
  }
}
