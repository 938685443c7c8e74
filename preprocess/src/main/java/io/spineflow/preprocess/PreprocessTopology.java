package io.spineflow.preprocess;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.DedupStore;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The preprocess topology, as a pure function of its configuration:
 *
 * <pre>
 * studies-source ──▶ preprocess-study ──┬─▶ slices-sink          (studyUid/sliceIndex → Slice)
 *   (studies)        [preprocessed-studies] ├─▶ slices-summary-sink (studyUid → SliceSummary)
 *                                        └─▶ deadletter-sink      (original key → DeadLetter)
 * </pre>
 *
 * Study values are read as bytes and decoded inside the processor, so an undecodable record becomes
 * a dead letter in the same transaction as everything else instead of stopping the stream. The
 * store remembers the content hash last sliced per study UID, so a study ingest sends again
 * unchanged is not sliced twice (exactly-once covers restarts; this covers re-sends).
 */
public final class PreprocessTopology {
  public static final String SOURCE = "studies-source";
  public static final String PROCESSOR = "preprocess-study";
  public static final String STORE = "preprocessed-studies";
  public static final String SLICES_SINK = "slices-sink";
  public static final String SUMMARY_SINK = "slices-summary-sink";
  public static final String DEADLETTER_SINK = "deadletter-sink";

  private PreprocessTopology() {}

  /** The topology with the system clock and metrics kept to itself. */
  public static Topology buildTopology(
      PreprocessConfig config, Topics topics, VolumeMapper volumes) {
    return buildTopology(
        config,
        topics,
        volumes,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        Settings.parseDuration(CommonSettings.DEDUP_RETENTION.defaultValue()));
  }

  /**
   * @param clock stamps {@code preprocessedAt}, {@code completedAt} and dead letters
   * @param metrics where the processor counts studies, slices and drops
   * @param dedupRetention how long {@value #STORE} remembers the content last sliced per study
   */
  public static Topology buildTopology(
      PreprocessConfig config,
      Topics topics,
      VolumeMapper volumes,
      Clock clock,
      MeterRegistry metrics,
      Duration dedupRetention) {
    StudyPreprocessor preprocessor =
        new StudyPreprocessor(config.slicer(), volumes, topics.studies(), clock);
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.studies().name());
    topology.addProcessor(
        PROCESSOR,
        () -> new StudyProcessor(preprocessor, new PreprocessMetrics(metrics), dedupRetention),
        SOURCE);
    // Same name as the plain store it was before: Kafka Streams migrates it in place.
    topology.addStateStore(DedupStore.builder(STORE), PROCESSOR);
    topics.slices().addSink(topology, SLICES_SINK, PROCESSOR);
    topics.slicesSummary().addSink(topology, SUMMARY_SINK, PROCESSOR);
    topics.deadletter().addSink(topology, DEADLETTER_SINK, PROCESSOR);
    return topology;
  }
}
