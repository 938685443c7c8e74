package io.spineflow.cli.bench;

import io.spineflow.events.Mask;
import io.spineflow.inference.InferenceSettings;
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
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench swap}: p99 latency (slice sent → mask committed) while 10 new models are hot-swapped
 * in ÷ p99 at steady state, slices paced at half the service's capacity, plus slices lost and
 * duplicated (both must be 0). Each arm is one inference service with its own {@code
 * inference.swap.warmup.rounds}; rounds alternate the arms, so a change in the machine's load hits
 * every arm alike.
 */
final class SwapBench {
  private SwapBench() {}

  /**
   * What to run.
   *
   * @param perPhase slices per phase (steady, then swapping), each round
   * @param swaps models swapped in during each swapping phase
   * @param batch {@code inference.max.batch}
   * @param rounds steady + swapping phase pairs per arm
   * @param arms the service settings of each arm; the first is the headline
   */
  record Plan(
      UNetConfig config, int perPhase, int swaps, int batch, int rounds, List<ArmSettings> arms) {
    Plan {
      arms = List.copyOf(arms);
      if (perPhase < 10 || swaps < 1 || rounds < 1 || arms.isEmpty()) {
        throw new IllegalArgumentException(
            "need >= 10 slices per phase, >= 1 swap, >= 1 round and >= 1 arm");
      }
    }
  }

  /**
   * What one arm's inference service is given.
   *
   * @param warmupRounds its {@code inference.swap.warmup.rounds}
   * @param loaderNice its {@code inference.swap.loader.nice}
   */
  record ArmSettings(int warmupRounds, int loaderNice) {
    String label() {
      return "warm-up rounds " + warmupRounds + ", loader nice " + loaderNice;
    }

    /** A name for the arm's RESULT line, e.g. {@code w0_nice10}. */
    String key() {
      return "w" + warmupRounds + "_nice" + loaderNice;
    }

    Map<String, String> settings() {
      return Map.of(
          InferenceSettings.SWAP_WARMUP_ROUNDS.name(), Integer.toString(warmupRounds),
          InferenceSettings.SWAP_LOADER_NICE.name(), Integer.toString(loaderNice));
    }
  }

  /**
   * One arm's figures.
   *
   * @param settings what its service was given
   * @param ratios p99 while swapping ÷ steady p99, per round
   */
  record Arm(ArmSettings settings, double[] ratios, long lost, long duplicated) {
    double median() {
      return Percentiles.median(ratios);
    }

    /** Largest minus smallest ratio over the rounds. */
    double spread() {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (double r : ratios) {
        min = Math.min(min, r);
        max = Math.max(max, r);
      }
      return max - min;
    }
  }

  static List<Arm> run(Plan plan, PrintWriter out) throws Exception {
    List<SliceInput> inputs = BenchSlices.inputs(64, plan.config().inputWidth(), 13);
    List<Side> sides = new ArrayList<>();
    try {
      for (ArmSettings arm : plan.arms()) {
        sides.add(new Side(plan, arm, inputs, out));
      }
      for (int round = 0; round < plan.rounds(); round++) {
        for (Side side : sides) {
          side.round(round, out);
        }
      }
      List<Arm> arms = new ArrayList<>();
      for (Side side : sides) {
        arms.add(side.finish());
      }
      return arms;
    } finally {
      for (Side side : sides) {
        side.rig.close();
      }
    }
  }

  /** One arm: its own service, models and pacing. */
  private static final class Side {
    private final Plan plan;
    private final ArmSettings arm;
    private final List<SliceInput> inputs;
    private final InferenceRig rig;
    private final List<StoredModel> models = new ArrayList<>();
    private final List<Mask> masks;
    private long intervalNanos;
    private final double[] ratios;
    private int expected;
    private int nextModel = 1;

    Side(Plan plan, ArmSettings arm, List<SliceInput> inputs, PrintWriter out) throws Exception {
      this.plan = plan;
      this.arm = arm;
      this.inputs = inputs;
      this.ratios = new double[plan.rounds()];
      this.rig = new InferenceRig(plan.config(), plan.batch(), arm.settings());
      try {
        masks = calibrate(out);
      } catch (Exception | Error e) {
        rig.close();
        throw e;
      }
      expected = 64;
    }

    /** Stores the models, serves the first and measures how fast a burst of 64 drains. */
    private List<Mask> calibrate(PrintWriter out) throws Exception {
      for (int v = 1; v <= plan.swaps() * plan.rounds() + 1; v++) {
        models.add(rig.storeModel(v));
      }
      rig.announce(models.get(0));
      // Calibrate: how fast does the service drain a burst? Pace the phases at half that.
      for (int i = 0; i < 64; i++) {
        rig.send("warm", i, inputs.get(i));
      }
      rig.flush();
      List<Mask> masks = rig.awaitMasks(InferenceRig.newList(), 64, Duration.ofMinutes(5));
      if (masks.size() < 64) {
        throw new IllegalStateException("calibration: " + masks.size() + " of 64 masks in 5 min");
      }
      double capacity =
          (64 - masks.get(0).getBatchSize())
              / (Duration.between(masks.get(0).getProducedAt(), masks.get(63).getProducedAt())
                      .toNanos()
                  / 1e9);
      intervalNanos = (long) (1e9 / (capacity / 2));
      out.printf(
          Locale.ROOT,
          "arm %s: capacity %.1f slices/s; pacing at %.1f slices/s%n",
          arm.label(),
          capacity,
          capacity / 2);
      out.flush();
      return masks;
    }

    void round(int round, PrintWriter out) throws Exception {
      String steadyStudy = "steady-" + round;
      String swapStudy = "swaps-" + round;
      paced(steadyStudy, List.of());
      List<StoredModel> swapTo = models.subList(nextModel, nextModel + plan.swaps());
      nextModel += plan.swaps();
      paced(swapStudy, swapTo);
      expected += 2 * plan.perPhase();
      rig.awaitMasks(masks, expected, Duration.ofMinutes(5));
      List<Double> steady = latencies(steadyStudy);
      List<Double> swapping = latencies(swapStudy);
      ratios[round] = Percentiles.of(swapping, 99) / Percentiles.of(steady, 99);
      out.printf(
          Locale.ROOT,
          "  round %d, %s: steady p50 %.0f ms, p99 %.0f ms; during %d swaps p50"
              + " %.0f ms, p99 %.0f ms; ratio %.3f%n",
          round + 1,
          arm.label(),
          Percentiles.of(steady, 50),
          Percentiles.of(steady, 99),
          plan.swaps(),
          Percentiles.of(swapping, 50),
          Percentiles.of(swapping, 99),
          ratios[round]);
      out.flush();
    }

    Arm finish() {
      // Anything beyond the expected masks would be a duplicate: give it a moment to show.
      rig.awaitMasks(masks, expected + 1, Duration.ofSeconds(3));
      Map<String, Integer> perKey = new HashMap<>();
      for (Mask m : masks) {
        perKey.merge(m.getStudyUid() + "/" + m.getSliceIndex(), 1, Integer::sum);
      }
      long duplicated = perKey.values().stream().filter(c -> c > 1).count();
      long lost = expected - perKey.size();
      return new Arm(arm, ratios, lost, duplicated);
    }

    private List<Double> latencies(String study) {
      List<Double> latencies = new ArrayList<>();
      for (Mask m : masks) {
        if (m.getStudyUid().equals(study)) {
          latencies.add(
              Duration.between(m.getStudyReceivedAt(), m.getProducedAt()).toNanos() / 1e6);
        }
      }
      return latencies;
    }

    /** Sends a phase at the calibrated pace, announcing {@code swapTo} evenly spread over it. */
    private void paced(String study, List<StoredModel> swapTo) throws Exception {
      int count = plan.perPhase();
      int swapEvery =
          swapTo.isEmpty() ? Integer.MAX_VALUE : Math.max(1, count / (swapTo.size() + 1));
      int swapped = 0;
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        // Parked, not spun: a spinning pacer would itself keep a core busy.
        for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        rig.send(study, i, inputs.get(i % inputs.size()));
        rig.flush();
        if (swapped < swapTo.size() && i > 0 && i % swapEvery == 0) {
          rig.announce(swapTo.get(swapped++));
        }
        next += intervalNanos;
      }
    }
  }
}
