package io.spineflow.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ProcessMemory;
import io.spineflow.model.training.ValidationScores;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The trainer's gauges and counters on {@code /metrics} (names as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code spineflow_trainer_training} 1 while a run is in progress; {@code
 *       spineflow_trainer_epoch}, {@code _step}, {@code _total_steps}, {@code _loss}, {@code
 *       _eta_seconds}, {@code _step_seconds} (mean step time of the run)
 *   <li>{@code spineflow_trainer_validation_dice{class=vertebrae|spinal_canal|discs|mean}} and
 *       {@code spineflow_trainer_validation_miou} of the last evaluated epoch
 *   <li>{@code spineflow_trainer_native_arrays} NDArrays alive after the last epoch, {@code
 *       spineflow_trainer_rss_bytes}
 *   <li>{@code spineflow_trainer_complete_studies}, {@code _cached_slices}, {@code
 *       _pending_requests}, {@code _live_version}
 *   <li>{@code spineflow_trainer_runs_total{outcome=promoted|rejected|failed}}
 * </ul>
 */
final class TrainerMetrics {

  /** A settable double for a gauge. */
  static final class Value {
    private volatile double value;

    void set(double v) {
      value = v;
    }

    double get() {
      return value;
    }
  }

  final Value training = new Value();
  final Value epoch = new Value();
  final Value step = new Value();
  final Value totalSteps = new Value();
  final Value loss = new Value();
  final Value etaSeconds = new Value();
  final Value stepSeconds = new Value();
  final Value miou = new Value();
  final Value nativeArrays = new Value();
  final Value pendingRequests = new Value();
  final Value liveVersion = new Value();
  final Map<SpineClass, Value> dice = new EnumMap<>(SpineClass.class);
  final Value meanDice = new Value();
  private final Counter promoted;
  private final Counter rejected;
  private final Counter failed;

  TrainerMetrics(
      MeterRegistry registry, Supplier<Integer> completeStudies, Supplier<Integer> cachedSlices) {
    gauge(registry, "spineflow_trainer_training", training);
    gauge(registry, "spineflow_trainer_epoch", epoch);
    gauge(registry, "spineflow_trainer_step", step);
    gauge(registry, "spineflow_trainer_total_steps", totalSteps);
    gauge(registry, "spineflow_trainer_loss", loss);
    gauge(registry, "spineflow_trainer_eta_seconds", etaSeconds);
    gauge(registry, "spineflow_trainer_step_seconds", stepSeconds);
    gauge(registry, "spineflow_trainer_validation_miou", miou);
    gauge(registry, "spineflow_trainer_native_arrays", nativeArrays);
    gauge(registry, "spineflow_trainer_pending_requests", pendingRequests);
    gauge(registry, "spineflow_trainer_live_version", liveVersion);
    liveVersion.set(-1);
    for (SpineClass c : SpineClass.FOREGROUND) {
      Value v = new Value();
      v.set(Double.NaN);
      dice.put(c, v);
      Gauge.builder("spineflow_trainer_validation_dice", v, Value::get)
          .tag("class", ValidationScores.key(c))
          .register(registry);
    }
    meanDice.set(Double.NaN);
    miou.set(Double.NaN);
    Gauge.builder("spineflow_trainer_validation_dice", meanDice, Value::get)
        .tag("class", "mean")
        .register(registry);
    Gauge.builder("spineflow_trainer_rss_bytes", ProcessMemory::rssBytes).register(registry);
    Gauge.builder("spineflow_trainer_complete_studies", completeStudies, s -> s.get())
        .register(registry);
    Gauge.builder("spineflow_trainer_cached_slices", cachedSlices, s -> s.get()).register(registry);
    promoted =
        Counter.builder("spineflow_trainer_runs").tag("outcome", "promoted").register(registry);
    rejected =
        Counter.builder("spineflow_trainer_runs").tag("outcome", "rejected").register(registry);
    failed = Counter.builder("spineflow_trainer_runs").tag("outcome", "failed").register(registry);
  }

  void scores(ValidationScores scores) {
    for (SpineClass c : SpineClass.FOREGROUND) {
      dice.get(c).set(scores.dice(c));
    }
    meanDice.set(scores.meanDice());
    miou.set(scores.meanIou());
  }

  void runEnded(String outcome) {
    training.set(0);
    switch (outcome) {
      case "PROMOTED" -> promoted.increment();
      case "REJECTED" -> rejected.increment();
      default -> failed.increment();
    }
  }

  private static void gauge(MeterRegistry registry, String name, Value value) {
    Gauge.builder(name, value, Value::get).register(registry);
  }
}
