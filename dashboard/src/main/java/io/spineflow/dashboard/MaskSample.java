package io.spineflow.dashboard;

import io.spineflow.events.Mask;

/**
 * What the throughput and latency windows need of one {@link Mask}: end-to-end latency (study
 * received by ingest → mask produced), the batch's queue and model time, and the batch size.
 */
public record MaskSample(
    double latencyMillis, double queueMillis, double inferenceMillis, int batchSize) {

  public static MaskSample of(Mask mask) {
    double latency =
        mask.getProducedAt().toEpochMilli() - (double) mask.getStudyReceivedAt().toEpochMilli();
    return new MaskSample(
        Math.max(0, latency),
        mask.getQueueMillis(),
        mask.getInferenceMillis(),
        mask.getBatchSize());
  }
}
