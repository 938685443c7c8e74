package io.spineflow.ingest;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.DedupStore;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Ingest's Kafka Streams topology, the one validation path of every door:
 *
 * <pre>
 * studies.upload ──▶ [upload-source] ──▶ [validate-upload] ──▶ [studies-sink] ──▶ studies
 *                                          │  stores: pending-parts, pending-deadlines,
 *                                          │          seen-studies, dicom-instances, dicom-series
 *                                          ├──────────▶ [deadletter-sink] ──▶ deadletter
 *                                          └──────────▶ [audit-sink] ──▶ audit (skipped series)
 * </pre>
 *
 * Each upload record is checked (key, headers), paired with its other part when the study has a
 * mask ({@code pending-parts} holds the first part, {@code pending-deadlines} when it expires),
 * dropped when the same UID and content were already accepted ({@code seen-studies}), decoded and
 * validated with the MetaImage codec, and turns into exactly one {@code Study} or one {@code
 * DeadLetter}. DICOM instances ({@code spineflow.format=dicom}, key: Series Instance UID) are kept
 * per series ({@code dicom-instances}, {@code dicom-series}) and published as one {@code Study} per
 * series after the quiet period ({@link DicomSeriesCollector}). Run with {@code exactly_once_v2}.
 */
public final class IngestTopology {
  public static final String SOURCE = "upload-source";
  public static final String PROCESSOR = "validate-upload";
  public static final String STUDIES_SINK = "studies-sink";
  public static final String DEADLETTER_SINK = "deadletter-sink";
  public static final String AUDIT_SINK = "audit-sink";

  /** Study UID → the first part of a study with a mask, until the other part arrives. */
  public static final String PENDING_STORE = "pending-parts";

  /** Study UID → wall-clock time (ms) when its waiting part is dead-lettered. */
  public static final String DEADLINE_STORE = "pending-deadlines";

  /** Series Instance UID + "/" + SOP Instance UID → a DICOM instance kept for its series. */
  public static final String DICOM_INSTANCE_STORE = "dicom-instances";

  /** Series Instance UID → its {@link SeriesState} (when it is due, whether it was skipped). */
  public static final String DICOM_SERIES_STORE = "dicom-series";

  /** Study UID → content SHA-256 of the last accepted study: the idempotency store. */
  public static final String SEEN_STORE = "seen-studies";

  /**
   * Largest record the topology writes: a pending part (an upload plus its metadata) or a study
   * event, with 1 MiB of headroom. Its producer's {@code max.request.size} and the {@code
   * pending-parts} changelog's {@code max.message.bytes}.
   */
  public static final int MAX_RECORD_BYTES =
      Math.max(Topics.UPLOAD_MAX_BYTES, Topics.STUDY_MAX_BYTES) + (1 << 20);

  private IngestTopology() {}

  /**
   * Builds the topology. Pure: nothing starts, nothing connects.
   *
   * @param claims the claim-check store: where claim-checked uploads are read and large volumes of
   *     {@code studies} events are written
   */
  public static Topology buildTopology(
      IngestConfig config, Topics topics, ClaimCheckStore claims, IngestMetrics metrics) {
    return buildTopology(config, topics, claims, metrics, DEFAULT_DEDUP_RETENTION);
  }

  /** The default of {@code dedup.retention}. */
  static final Duration DEFAULT_DEDUP_RETENTION =
      Settings.parseDuration(CommonSettings.DEDUP_RETENTION.defaultValue());

  /**
   * Builds the topology. Pure: nothing starts, nothing connects.
   *
   * @param claims the claim-check store: where claim-checked uploads are read and large volumes of
   *     {@code studies} events are written
   * @param dedupRetention how long {@value #SEEN_STORE} remembers an accepted study
   */
  public static Topology buildTopology(
      IngestConfig config,
      Topics topics,
      ClaimCheckStore claims,
      IngestMetrics metrics,
      Duration dedupRetention) {
    StudyValidator validator = new StudyValidator(config.imageLimits(), config.geometryTolerance());
    VolumeMapper volumes = new VolumeMapper(claims, config.studyInlineMaxBytes());
    DicomInstances dicom = new DicomInstances(IngestService.dicomLimits(config));
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.studiesUpload().name());
    topology.addProcessor(
        PROCESSOR,
        () ->
            new UploadProcessor(
                validator,
                claims,
                volumes,
                metrics,
                config.pairingTimeout(),
                config.pairingCheckInterval(),
                dedupRetention,
                new DicomSeriesCollector(dicom, claims, volumes, metrics, config.dicom())),
        SOURCE);
    // A waiting part is a whole upload: its changelog must take records as large as the topic's.
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), PendingPart.serde())
            .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES))),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DEADLINE_STORE), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    // Instances are whole uploads too.
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DICOM_INSTANCE_STORE),
                Serdes.String(),
                StoredInstance.serde())
            .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES))),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DICOM_SERIES_STORE),
            Serdes.String(),
            SeriesState.serde()),
        PROCESSOR);
    // Same name as the plain store it was before: Kafka Streams migrates it in place.
    topology.addStateStore(DedupStore.builder(SEEN_STORE), PROCESSOR);
    topics.studies().addSink(topology, STUDIES_SINK, PROCESSOR);
    topics.deadletter().addSink(topology, DEADLETTER_SINK, PROCESSOR);
    topics.audit().addSink(topology, AUDIT_SINK, PROCESSOR);
    return topology;
  }
}
