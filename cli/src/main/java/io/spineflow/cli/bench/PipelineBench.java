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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench pipeline}: slices/s from {@code slices} to committed {@code masks} through the
 * inference service (Kafka, transactions, dynamic batching, quality) ÷ slices/s of the bare batched
 * predictor on the same model and slices. Bare and pipeline phases alternate over several rounds
 * after a warm-up round of each, so both see the same machine; the ratio is the median of the
 * per-round ratios, and the spread between rounds is printed beside it.
 */
final class PipelineBench {
  private PipelineBench() {}

  /**
   * The figures of one run.
   *
   * @param ratio median over rounds of pipeline ÷ bare
   * @param spread largest minus smallest per-round ratio
   */
  record Figures(double ratio, double spread) {}

  static Figures run(UNetConfig config, int count, int batch, int rounds, PrintWriter out)
      throws Exception {
    List<SliceInput> inputs = BenchSlices.inputs(count, config.inputWidth(), 11);
    try (InferenceRig rig = new InferenceRig(config, batch)) {
      StoredModel stored = rig.storeModel(1);
      rig.announce(stored);
      try (SegmentationModel model =
              rig.store.load(
                  stored.name(),
                  stored.version(),
                  stored.sha256(),
                  stored.config(),
                  Devices.best());
          Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
        List<Mask> masks = InferenceRig.newList();
        SideBySide.Rounds measured =
            SideBySide.run(
                1,
                rounds,
                r -> InferenceBench.rate(predictor, inputs, batch),
                r -> throughKafka(rig, inputs, "bench-r" + (r + 1), masks),
                (r, bare, pipeline) ->
                    out.printf(
                        Locale.ROOT,
                        "round %d: bare predictor %.1f slices/s, through Kafka %.1f slices/s"
                            + " (%.3f)%n",
                        r + 1,
                        bare,
                        pipeline,
                        pipeline / bare));
        out.printf(
            Locale.ROOT,
            "bare predictor, batch %d: %.1f slices/s; through Kafka (slices -> inference ->"
                + " masks + quality, exactly-once): %.1f slices/s, mean batch %.1f%n",
            batch,
            measured.firstMedian(),
            measured.secondMedian(),
            masks.stream().mapToInt(Mask::getBatchSize).average().orElse(0));
        out.printf(
            Locale.ROOT,
            "%s %dx%d, %d slices x %d rounds: pipeline / bare = %.3f (target >= 0.90), rounds"
                + " spread %.3f%n",
            config.variant(),
            config.inputWidth(),
            config.inputHeight(),
            count,
            rounds,
            measured.ratio(),
            measured.ratioSpread());
        return new Figures(measured.ratio(), measured.ratioSpread());
      }
    }
  }

  /**
   * Sends every input as study {@code study}, waits for all its masks, and returns the steady-state
   * rate: from the first committed batch to the last.
   */
  private static double throughKafka(
      InferenceRig rig, List<SliceInput> inputs, String study, List<Mask> all) {
    int count = inputs.size();
    for (int i = 0; i < count; i++) {
      rig.send(study, i, inputs.get(i));
    }
    rig.flush();
    List<Mask> masks = rig.awaitMasks(new ArrayList<>(), count, Duration.ofMinutes(10));
    if (masks.size() < count) {
      throw new IllegalStateException("only " + masks.size() + " of " + count + " masks arrived");
    }
    all.addAll(masks);
    Mask first = masks.get(0);
    Mask last = masks.get(masks.size() - 1);
    double seconds = Duration.between(first.getProducedAt(), last.getProducedAt()).toNanos() / 1e9;
    return (count - first.getBatchSize()) / seconds;
  }
}
