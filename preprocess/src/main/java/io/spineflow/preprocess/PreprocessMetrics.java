package io.spineflow.preprocess;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/** The service's own meters, beside Kafka Streams' client metrics. */
final class PreprocessMetrics {
  private final MeterRegistry registry;
  private final Counter emitted;
  private final Counter duplicates;
  private final Timer studyTime;

  PreprocessMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.emitted =
        Counter.builder("spineflow.preprocess.slices.emitted")
            .description("Slices published on the slices topic")
            .register(registry);
    this.duplicates =
        Counter.builder("spineflow.preprocess.studies.duplicate")
            .description("Studies received again with unchanged content and not sliced again")
            .register(registry);
    this.studyTime =
        Timer.builder("spineflow.preprocess.study.time")
            .description("Time to decode and slice one study")
            .register(registry);
  }

  void sliced(int slices, Map<String, Integer> droppedByReason, Duration took) {
    studyTime.record(took);
    registry.counter("spineflow.preprocess.studies", "outcome", "sliced").increment();
    emitted.increment(slices);
    droppedByReason.forEach(
        (reason, count) ->
            registry
                .counter("spineflow.preprocess.slices.dropped", "reason", reason)
                .increment(count));
  }

  void rejected(String reasonCode) {
    registry.counter("spineflow.preprocess.studies", "outcome", "deadletter").increment();
    registry.counter("spineflow.preprocess.deadletters", "reason", reasonCode).increment();
  }

  void duplicate() {
    duplicates.increment();
  }
}
