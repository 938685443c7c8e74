package io.spineflow.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** delivery's counters, for Prometheus and {@code /health}. */
final class DeliveryMetrics {
  private final MeterRegistry registry;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();

  DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void delivered(String target) {
    delivered.incrementAndGet();
    Counter.builder("spineflow_delivery_delivered")
        .description("Segmentations a target stored")
        .tag("target", target.startsWith("STOW") ? "stow-rs" : "c-store")
        .register(registry)
        .increment();
  }

  void deadLettered(String reason) {
    deadLettered.incrementAndGet();
    Counter.builder("spineflow_delivery_dead_lettered")
        .description("Segmentations (per target) or records dead-lettered")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void skipped() {
    skipped.incrementAndGet();
    Counter.builder("spineflow_delivery_skipped")
        .description("Events without a DICOM Segmentation (or without a target)")
        .register(registry)
        .increment();
  }

  void failedAttempt() {
    failedAttempts.incrementAndGet();
    Counter.builder("spineflow_delivery_failed_attempts")
        .description("Attempts a target did not store (each retried one and each last one)")
        .register(registry)
        .increment();
  }

  Map<String, Object> details() {
    return Map.of(
        "delivered",
        delivered.get(),
        "deadLettered",
        deadLettered.get(),
        "skipped",
        skipped.get(),
        "failedAttempts",
        failedAttempts.get());
  }
}
