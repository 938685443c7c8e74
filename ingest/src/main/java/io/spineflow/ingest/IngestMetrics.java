package io.spineflow.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;

/**
 * Ingest's own meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code spineflow_ingest_studies_accepted_total{source}}: studies published on {@code
 *       studies};
 *   <li>{@code spineflow_ingest_studies_rejected_total{door,reason}}: rejections, by the door that
 *       refused (topic: the topology; http and folder: before anything reached Kafka) and reason
 *       code;
 *   <li>{@code spineflow_ingest_duplicates_total{source}}: uploads already in (same UID, same
 *       content), not published again;
 *   <li>{@code spineflow_ingest_received_bytes_total{door}}: bytes of uploads received;
 *   <li>{@code spineflow_ingest_dicom_series_skipped_total{reason}}: DICOM series not segmented
 *       (LOCALIZER, DERIVED, AXIAL, CORONAL).
 * </ul>
 *
 * Counted when processed: a Streams task that is retried after a crash may count a record twice,
 * while its output is exactly-once.
 */
public final class IngestMetrics {
  /** The door names used as the {@code door} tag. */
  public static final String TOPIC = "topic";

  public static final String HTTP = "http";
  public static final String FOLDER = "folder";
  public static final String STOW_RS = "stow-rs";

  private final MeterRegistry registry;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public void accepted(io.spineflow.events.StudySource source) {
    Counter.builder("spineflow.ingest.studies.accepted")
        .description("Studies published on the studies topic")
        .tag("source", source.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  public void rejected(String door, String reasonCode) {
    Counter.builder("spineflow.ingest.studies.rejected")
        .description("Uploads rejected, by door and reason code")
        .tag("door", door)
        .tag("reason", reasonCode)
        .register(registry)
        .increment();
  }

  public void duplicate(io.spineflow.events.StudySource source) {
    Counter.builder("spineflow.ingest.duplicates")
        .description("Uploads already accepted with the same UID and content")
        .tag("source", source.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  public void receivedBytes(String door, long bytes) {
    Counter.builder("spineflow.ingest.received")
        .description("Bytes of uploads received")
        .baseUnit("bytes")
        .tag("door", door)
        .register(registry)
        .increment(bytes);
  }

  public void skipped(String reason) {
    Counter.builder("spineflow.ingest.dicom.series.skipped")
        .description("DICOM series not segmented (localizers, derived, axial, coronal), by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
