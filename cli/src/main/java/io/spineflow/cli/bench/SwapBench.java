package io.spineflow.cli.bench;

import io.spineflow.events.Mask;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench swap}: p99 latency (slice sent → mask committed) while 10 new models are hot-swapped
 * in ÷ p99 at steady state, slices paced at half the service's capacity, plus slices lost and
 * duplicated (both must be 0).
 */
final class SwapBench {
  private SwapBench() {}

  record Result(double ratio, long lost, long duplicated) {}

  static Result run(UNetConfig config, int perPhase, int swaps, int batch, PrintWriter out)
      throws Exception {
    List<SliceInput> inputs = BenchSlices.inputs(64, config.inputWidth(), 13);
    try (InferenceRig rig = new InferenceRig(config, batch)) {
      List<StoredModel> models = new ArrayList<>();
      for (int v = 1; v <= swaps + 1; v++) {
        models.add(rig.storeModel(v));
      }
      rig.announce(models.get(0));
      // Calibrate: how fast does the service drain a burst? Pace the phases at half that.
      for (int i = 0; i < 64; i++) {
        rig.send("warm", i, inputs.get(i));
      }
      rig.flush();
      List<Mask> masks = rig.awaitMasks(InferenceRig.newList(), 64, Duration.ofMinutes(5));
      double capacity =
          (64 - masks.get(0).getBatchSize())
              / (Duration.between(masks.get(0).getProducedAt(), masks.get(63).getProducedAt())
                      .toNanos()
                  / 1e9);
      long intervalNanos = (long) (1e9 / (capacity / 2));
      out.printf(
          Locale.ROOT, "capacity %.1f slices/s; pacing at %.1f slices/s%n", capacity, capacity / 2);

      paced(rig, "steady", perPhase, inputs, intervalNanos, null, 0);
      paced(rig, "swaps", perPhase, inputs, intervalNanos, models.subList(1, models.size()), swaps);
      int expected = 64 + 2 * perPhase;
      rig.awaitMasks(masks, expected, Duration.ofMinutes(5));
      rig.awaitMasks(masks, expected + 1, Duration.ofSeconds(3));

      Map<String, Integer> perKey = new HashMap<>();
      List<Double> steady = new ArrayList<>();
      List<Double> swapping = new ArrayList<>();
      for (Mask m : masks) {
        perKey.merge(m.getStudyUid() + "/" + m.getSliceIndex(), 1, Integer::sum);
        double latency =
            Duration.between(m.getStudyReceivedAt(), m.getProducedAt()).toNanos() / 1e6;
        if (m.getStudyUid().equals("steady")) {
          steady.add(latency);
        } else if (m.getStudyUid().equals("swaps")) {
          swapping.add(latency);
        }
      }
      long duplicated = perKey.values().stream().filter(c -> c > 1).count();
      long lost = expected - perKey.size();
      double p99Steady = Percentiles.of(steady, 99);
      double p99Swaps = Percentiles.of(swapping, 99);
      out.printf(
          Locale.ROOT,
          "steady: p50 %.1f ms, p99 %.1f ms; during %d swaps: p50 %.1f ms, p99 %.1f ms%n",
          Percentiles.of(steady, 50),
          p99Steady,
          swaps,
          Percentiles.of(swapping, 50),
          p99Swaps);
      out.printf(
          Locale.ROOT,
          "versions seen: %s; lost %d, duplicated %d%n",
          masks.stream().map(Mask::getModelVersion).distinct().sorted().toList(),
          lost,
          duplicated);
      return new Result(p99Swaps / p99Steady, lost, duplicated);
    }
  }

  private static void paced(
      InferenceRig rig,
      String study,
      int count,
      List<SliceInput> inputs,
      long intervalNanos,
      List<StoredModel> swapTo,
      int swaps)
      throws Exception {
    long next = System.nanoTime();
    int swapEvery = swaps == 0 ? Integer.MAX_VALUE : Math.max(1, count / (swaps + 1));
    int swapped = 0;
    for (int i = 0; i < count; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      rig.send(study, i, inputs.get(i % inputs.size()));
      rig.flush();
      if (swapTo != null && swapped < swaps && i > 0 && i % swapEvery == 0) {
        rig.announce(swapTo.get(swapped++));
      }
      next += intervalNanos;
    }
  }
}
