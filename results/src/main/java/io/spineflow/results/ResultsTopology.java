package io.spineflow.results;

import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Segmentation;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.deadletter.StrictSerde;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The results topology, a pure function of its configuration:
 *
 * <pre>
 * studies ───────▶ [study-header] ───┐   (geometry, revision, DICOM source: never voxels)
 * slices ────────▶ [slice-geometry] ─┤   (pixelToPhysical, indexes, size: never pixels)
 * slices.summary ▶ [summary-part] ───┼─▶ (parts-by-study, key study UID) ─▶ [study-results] ─┬─▶ segmentations
 * masks ─────────▶ [mask-part] ──────┤      results-revisions, results-parts,               └─▶ deadletter
 * quality ───────▶ [quality-part] ───┘      results-quality, results-model-shas
 * models ────────▶ global results-models (latest announcement per model name)
 * </pre>
 *
 * slices, masks and quality are keyed {@code studyUid/sliceIndex}, so their records of one study
 * are spread over partitions; one repartition by study UID gives every part of a study to one task,
 * which keeps each part under its own key ({@link StudyResultsProcessor}). Undecodable inputs and
 * tombstones are dead-lettered by the runner's handler (strict serdes).
 */
public final class ResultsTopology {
  public static final String PROCESSOR = "study-results";
  public static final String BY_STUDY = "parts-by-study";
  public static final String REVISIONS_STORE = "results-revisions";
  public static final String PARTS_STORE = "results-parts";
  public static final String QUALITY_STORE = "results-quality";
  public static final String MODEL_SHAS_STORE = "results-model-shas";
  public static final String MODELS_STORE = "results-models";
  public static final String SEGMENTATIONS_SINK = "segmentations-sink";
  public static final String DEADLETTER_SINK = "deadletter-sink";

  /** The largest record a store's changelog takes: a 512 × 512 mask with its event. */
  static final int MAX_PART_BYTES = Topics.SLICE_MAX_BYTES;

  private ResultsTopology() {}

  /** Builds the topology. Pure: nothing starts, nothing connects. */
  public static Topology build(
      ResultsConfig config, Topics topics, BlobStore outputs, MeterRegistry metrics) {
    StudyResultWriter writer = new StudyResultWriter(outputs);
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, ResultPart> parts =
        source(builder, topics.studies(), "studies-source")
            .mapValues(ResultPart.Header::of, Named.as("study-header"))
            .mapValues(p -> (ResultPart) p, Named.as("study-part"))
            .merge(
                source(builder, topics.slices(), "slices-source")
                    .mapValues(
                        s -> (ResultPart) ResultPart.SliceGeometry.of(s),
                        Named.as("slice-geometry")),
                Named.as("merge-slices"))
            .merge(
                source(builder, topics.slicesSummary(), "summary-source")
                    .mapValues(
                        s -> (ResultPart) new ResultPart.Summary(s), Named.as("summary-part")),
                Named.as("merge-summaries"))
            .merge(
                source(builder, topics.masks(), "masks-source")
                    .mapValues(m -> (ResultPart) new ResultPart.MaskPart(m), Named.as("mask-part")),
                Named.as("merge-masks"))
            .merge(
                source(builder, topics.quality(), "quality-source")
                    .mapValues(
                        q -> (ResultPart) new ResultPart.QualityPart(q), Named.as("quality-part")),
                Named.as("merge-quality"));

    Serde<ResultPart> partSerde = ResultPart.serde();
    builder.addStateStore(store(REVISIONS_STORE, Serdes.String()));
    builder.addStateStore(store(PARTS_STORE, partSerde));
    builder.addStateStore(store(QUALITY_STORE, partSerde));
    builder.addStateStore(store(MODEL_SHAS_STORE, Serdes.String()));
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MODELS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.models().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("models-source"),
        () -> new LatestAnnouncement());

    parts
        .selectKey((key, part) -> part.studyUid(), Named.as("key-by-study"))
        .repartition(
            Repartitioned.<String, ResultPart>as(BY_STUDY)
                .withKeySerde(Serdes.String())
                .withValueSerde(partSerde))
        .process(
            () -> new StudyResultsProcessor(config, topics, writer, metrics),
            Named.as(PROCESSOR),
            REVISIONS_STORE,
            PARTS_STORE,
            QUALITY_STORE,
            MODEL_SHAS_STORE)
        .split(Named.as("output-"))
        .branch(
            (uid, out) -> out instanceof Segmentation,
            Branched.withConsumer(
                s ->
                    s.mapValues(out -> (Segmentation) out, Named.as("segmentation"))
                        .to(
                            topics.segmentations().name(),
                            produced(topics.segmentations(), SEGMENTATIONS_SINK))))
        .defaultBranch(
            Branched.withConsumer(
                d ->
                    d.mapValues(out -> (DeadLetter) out, Named.as("dead-letter"))
                        .to(
                            topics.deadletter().name(),
                            produced(topics.deadletter(), DEADLETTER_SINK))));
    return builder.build();
  }

  private static <V> KStream<String, V> source(
      StreamsBuilder builder, Topic<String, V> topic, String name) {
    // Strict: a tombstone, like undecodable bytes, is dead-lettered by the runner's handler.
    return builder.stream(
        topic.name(), Consumed.with(topic.keySerde(), StrictSerde.values(topic)).withName(name));
  }

  private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
    return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
  }

  /** A RocksDB store (bounded by the platform's shared pool), changelogged, uncached. */
  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_PART_BYTES)))
        .withCachingDisabled();
  }

  /** Keeps the latest announcement per model name, as read (a tombstone removes it). */
  static final class LatestAnnouncement implements Processor<String, byte[], Void, Void> {
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
      store = context.getStateStore(MODELS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      if (record.key() == null) {
        return;
      }
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }
}
