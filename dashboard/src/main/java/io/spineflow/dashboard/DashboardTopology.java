package io.spineflow.dashboard;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingProgress;
import io.spineflow.platform.deadletter.StrictSerde;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The dashboard's Kafka Streams topology: every number and picture on the page comes from a state
 * store filled here and read through interactive queries.
 *
 * <pre>
 * quality ─┬─▶ [quality-series] ─▶ (quality-by-series) ─▶ [quality-window-aggregate]  quality-windows
 *          ├─▶ [quality-by-model-key] ─▶ (quality-by-model, 1 partition) ─▶ [drift-monitor] ─▶ [retrain-sink] ─▶ retrain
 *          └─▶ [gallery-quality-part] ─┐                                       ▲ reads models-live
 * masks ───┬─▶ [gallery-mask-part] ────┼─▶ [gallery]  gallery-pending, -pending-order, -index, -entries
 *          └─▶ [mask-sample] ─▶ (masks-by-series) ─▶ [mask-window-aggregate]  mask-windows
 * slices ─────▶ [gallery-slice-part] ──┘
 * models ─────▶ [model-announcement-event] ─┐
 * training ───▶ [training-event] ───────────┴─▶ [model-registry]  models-live, model-versions,
 *                                                                 model-timeline, training-latest
 * deadletter ─┬─▶ [deadletter-log]  deadletter-recent, deadletter-totals
 *             └─▶ (deadletters-by-reason) ─▶ [deadletter-window-count]  deadletter-windows
 * segmentations ─▶ [study-results]  study-results, study-results-order
 * </pre>
 *
 * Windows are tumbling, by event time ({@link EventTime}), kept for {@code retention}. The drift
 * monitor and the model registry share a task (models, training and the repartitioned quality all
 * have one partition), so the monitor reads the live model from the registry's store. {@code
 * slices} is read from the latest offset when the dashboard has no committed offset: the gallery
 * needs only slices whose masks are still to come, not the whole history. Every store is in memory,
 * bounded and changelogged.
 */
public final class DashboardTopology {
  public static final String QUALITY_SOURCE = "quality-source";
  public static final String MASKS_SOURCE = "masks-source";
  public static final String SLICES_SOURCE = "slices-source";
  public static final String MODELS_SOURCE = "models-source";
  public static final String TRAINING_SOURCE = "training-source";
  public static final String DEADLETTER_SOURCE = "deadletter-source";
  public static final String SEGMENTATIONS_SOURCE = "segmentations-source";
  public static final String STUDY_RESULTS = "study-results";
  public static final String DRIFT_MONITOR = "drift-monitor";
  public static final String MODEL_REGISTRY = "model-registry";
  public static final String GALLERY = "gallery";
  public static final String DEADLETTER_LOG = "deadletter-log";
  public static final String RETRAIN_SINK = "retrain-sink";

  /** Repartition topic of the quality series (suffixed {@code -repartition} by Streams). */
  public static final String QUALITY_BY_SERIES = "quality-by-series";

  /** One-partition repartition of quality by model name, for the drift monitor. */
  public static final String QUALITY_BY_MODEL = "quality-by-model";

  public static final String MASKS_BY_SERIES = "masks-by-series";
  public static final String DEADLETTERS_BY_REASON = "deadletters-by-reason";

  /** The largest record the topology writes (a gallery entry is ≈ 3 × width × height bytes). */
  public static final int MAX_RECORD_BYTES = Topics.SLICE_MAX_BYTES;

  private DashboardTopology() {}

  /** Builds the topology. Pure: nothing starts, nothing connects. */
  public static Topology buildTopology(DashboardConfig config, Topics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    TimeWindows windows = TimeWindows.ofSizeAndGrace(config.window(), config.grace());

    KStream<String, Quality> quality = source(builder, topics.quality(), QUALITY_SOURCE, false);
    KStream<String, Mask> masks = source(builder, topics.masks(), MASKS_SOURCE, false);
    KStream<String, Slice> slices = source(builder, topics.slices(), SLICES_SOURCE, true);
    KStream<String, ModelAnnouncement> models =
        source(builder, topics.models(), MODELS_SOURCE, false);
    KStream<String, TrainingProgress> training =
        source(builder, topics.training(), TRAINING_SOURCE, false);
    KStream<String, DeadLetter> deadletters =
        source(builder, topics.deadletter(), DEADLETTER_SOURCE, false);
    KStream<String, Segmentation> segmentations =
        source(builder, topics.segmentations(), SEGMENTATIONS_SOURCE, false);

    // Quality over time: all traffic, per sequence, per model version.
    quality
        .flatMap(
            (key, q) ->
                q == null
                    ? List.<KeyValue<String, QualitySample>>of()
                    : SeriesKey.of(QualitySample.of(q)).stream()
                        .map(series -> KeyValue.pair(series, QualitySample.of(q)))
                        .toList(),
            Named.as("quality-series"))
        .groupByKey(Grouped.with(QUALITY_BY_SERIES, keys, Json.serde(QualitySample.class)))
        .windowedBy(windows)
        .aggregate(
            QualityWindow::empty,
            (series, sample, window) -> window.add(sample),
            Named.as("quality-window-aggregate"),
            windowStore(DashboardStores.QUALITY_WINDOWS, config, Json.serde(QualityWindow.class)));

    // Throughput and latency.
    masks
        .filter((key, m) -> m != null, Named.as("mask-present"))
        .map((key, m) -> KeyValue.pair(SeriesKey.ALL, MaskSample.of(m)), Named.as("mask-sample"))
        .groupByKey(Grouped.with(MASKS_BY_SERIES, keys, Json.serde(MaskSample.class)))
        .windowedBy(windows)
        .aggregate(
            MaskWindow::empty,
            (series, sample, window) -> window.add(sample),
            Named.as("mask-window-aggregate"),
            windowStore(DashboardStores.MASK_WINDOWS, config, Json.serde(MaskWindow.class)));

    // Dead letters: per-reason windows, totals and the most recent ones.
    deadletters
        .filter((key, d) -> d != null, Named.as("deadletter-present"))
        .groupBy(
            (key, d) -> d.getReasonCode(),
            Grouped.with(DEADLETTERS_BY_REASON, keys, topics.deadletter().valueSerde()))
        .windowedBy(windows)
        .count(
            Named.as("deadletter-window-count"),
            windowStore(DashboardStores.DEADLETTER_WINDOWS, config, Serdes.Long()));
    builder.addStateStore(keyValueStore(DashboardStores.DEADLETTER_RECENT, DeadLetterView.class));
    builder.addStateStore(
        keyValue(DashboardStores.DEADLETTER_TOTALS, Serdes.Long()).withCachingDisabled());
    deadletters.process(
        () -> new DeadLetterLogProcessor(config.recentMax()),
        Named.as(DEADLETTER_LOG),
        DashboardStores.DEADLETTER_RECENT,
        DashboardStores.DEADLETTER_TOTALS);

    // Models: live model, versions, timeline, training progress.
    builder.addStateStore(keyValueStore(DashboardStores.MODELS_LIVE, ModelView.class));
    builder.addStateStore(keyValueStore(DashboardStores.MODEL_VERSIONS, ModelView.class));
    builder.addStateStore(keyValueStore(DashboardStores.MODEL_TIMELINE, TimelineEntry.class));
    builder.addStateStore(keyValueStore(DashboardStores.TRAINING_LATEST, TrainingView.class));
    models
        .mapValues(ModelEvent::announced, Named.as("model-announcement-event"))
        .merge(
            training.mapValues(ModelEvent::training, Named.as("training-event")),
            Named.as("model-events"))
        .process(
            () -> new ModelRegistryProcessor(2 * config.recentMax()),
            Named.as(MODEL_REGISTRY),
            DashboardStores.MODELS_LIVE,
            DashboardStores.MODEL_VERSIONS,
            DashboardStores.MODEL_TIMELINE,
            DashboardStores.TRAINING_LATEST);

    // Drift: per model, in the registry's task; alerts may publish retrain requests.
    builder.addStateStore(keyValue(DashboardStores.DRIFT_OBSERVATIONS, Json.serde(double[].class)));
    builder.addStateStore(keyValueStore(DashboardStores.DRIFT_STATUS, DriftState.class));
    builder.addStateStore(keyValueStore(DashboardStores.DRIFT_ALERTS, DriftAlert.class));
    quality
        .filter((key, q) -> q != null, Named.as("quality-present"))
        .selectKey((key, q) -> q.getModelName(), Named.as("quality-by-model-key"))
        .repartition(
            Repartitioned.<String, Quality>as(QUALITY_BY_MODEL)
                .withKeySerde(keys)
                .withValueSerde(topics.quality().valueSerde())
                .withNumberOfPartitions(1))
        .process(
            () -> new DriftMonitorProcessor(config.drift()),
            Named.as(DRIFT_MONITOR),
            DashboardStores.MODELS_LIVE,
            DashboardStores.DRIFT_OBSERVATIONS,
            DashboardStores.DRIFT_STATUS,
            DashboardStores.DRIFT_ALERTS)
        .to(
            topics.retrain().name(),
            Produced.with(keys, topics.retrain().valueSerde()).withName(RETRAIN_SINK));

    // Gallery: slices joined with their masks and quality, worst kept.
    builder.addStateStore(keyValueStore(DashboardStores.GALLERY_PENDING, GalleryPending.class));
    builder.addStateStore(keyValue(DashboardStores.GALLERY_PENDING_ORDER, keys));
    builder.addStateStore(keyValueStore(DashboardStores.GALLERY_INDEX, GalleryRank.class));
    builder.addStateStore(keyValueStore(DashboardStores.GALLERY_ENTRIES, GalleryEntry.class));
    KStream<String, GalleryPart> sliceParts =
        slices
            .filter((key, s) -> s != null, Named.as("slice-present"))
            .mapValues(GalleryPart::of, Named.as("gallery-slice-part"));
    KStream<String, GalleryPart> maskParts =
        masks
            .filter((key, m) -> m != null, Named.as("gallery-mask-present"))
            .mapValues(GalleryPart::of, Named.as("gallery-mask-part"));
    KStream<String, GalleryPart> qualityParts =
        quality
            .filter((key, q) -> q != null, Named.as("gallery-quality-present"))
            .mapValues(GalleryPart::of, Named.as("gallery-quality-part"));
    sliceParts
        .merge(maskParts, Named.as("gallery-merge-masks"))
        .merge(qualityParts, Named.as("gallery-merge-quality"))
        .process(
            () ->
                new GalleryProcessor(
                    config.gallerySize(), config.galleryHorizon(), config.galleryPendingMax()),
            Named.as(GALLERY),
            DashboardStores.GALLERY_PENDING,
            DashboardStores.GALLERY_PENDING_ORDER,
            DashboardStores.GALLERY_INDEX,
            DashboardStores.GALLERY_ENTRIES);

    // Study pages: the latest result of each study.
    builder.addStateStore(keyValueStore(DashboardStores.STUDY_RESULTS, StudyResultView.class));
    builder.addStateStore(keyValue(DashboardStores.STUDY_RESULTS_ORDER, keys));
    segmentations.process(
        () -> new StudyResultProcessor(config.studiesMax()),
        Named.as(STUDY_RESULTS),
        DashboardStores.STUDY_RESULTS,
        DashboardStores.STUDY_RESULTS_ORDER);

    return builder.build();
  }

  private static <V> KStream<String, V> source(
      StreamsBuilder builder, Topic<String, V> topic, String name, boolean latest) {
    // Strict: a tombstone, like undecodable bytes, is dead-lettered by the runner's handler rather
    // than skipped silently by the filters below or thrown on by a processor.
    Consumed<String, V> consumed =
        Consumed.with(topic.keySerde(), StrictSerde.values(topic))
            .withTimestampExtractor(new EventTime())
            .withName(name);
    if (latest) {
      consumed = consumed.withOffsetResetPolicy(AutoOffsetReset.latest());
    }
    return builder.stream(topic.name(), consumed);
  }

  private static <V> Materialized<String, V, WindowStore<Bytes, byte[]>> windowStore(
      String name, DashboardConfig config, Serde<V> values) {
    Duration retention = config.retention();
    return Materialized.<String, V>as(
            Stores.inMemoryWindowStore(name, retention, config.window(), false))
        .withKeySerde(Serdes.String())
        .withValueSerde(values);
  }

  /** An in-memory, changelogged, uncached store (uncached: capped stores count exactly). */
  private static <V> StoreBuilder<KeyValueStore<String, V>> keyValueStore(
      String name, Class<V> type) {
    return keyValue(name, Json.serde(type));
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
        // A gallery entry of a 512×512 slice is ~1 MB of JSON: changelogs take what the topology
        // writes.
        .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES)))
        .withCachingDisabled();
  }
}
