package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the tests that run the pipeline's services in their own JVMs share ({@link
 * CrashConsistencyIT}, {@link ScaleOutIT}): a tiny model to serve, phantom studies to send, and the
 * exactly-once count of everything the pipeline committed.
 */
final class PipelineRun {
  static final String MODEL = "spine-unet";

  private PipelineRun() {}

  /**
   * Saves a small untrained network for {@code sliceSize}² slices as version 1 in {@code store} and
   * announces it on {@code models}: what it predicts does not matter, only that it answers.
   */
  static void announceTinyModel(
      ModelStore store, KafkaClients clients, Topics topics, int sliceSize) throws Exception {
    UNetConfig config =
        UNetConfig.defaults().withInputSize(sliceSize, sliceSize).withWidths(4, 2, 16);
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      store.save(MODEL, 1, model.djlModel().getBlock(), config, Map.of());
    }
    ModelAnnouncement announcement =
        ModelAnnouncements.fromStore(store, MODEL, 1, AnnouncementKind.PROMOTED, Instant.now());
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            clients.producer("pipeline-test", null, topics.models().settings().maxMessageBytes()),
            new StringSerializer(),
            topics.models().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.models().name(), MODEL, announcement)).get();
    }
  }

  /**
   * {@code count} half-size phantom studies (the three sequences in turn, seeds from {@code
   * firstSeed}, every other one with its mask) written as files into {@code folder}: each entry is
   * one upload's files.
   */
  static List<List<Path>> phantomUploads(Path folder, int count, int firstSeed) throws IOException {
    List<List<Path>> uploads = new ArrayList<>();
    PhantomGenerator generator = new PhantomGenerator();
    for (int i = 0; i < count; i++) {
      PhantomSpec spec = PhantomSpec.of(Sequence.values()[i % 3], firstSeed + i).withSizeScale(0.5);
      PhantomStudy study = generator.generate(spec);
      uploads.add(DemoFeeder.writeFiles(study, folder, study.spec().fileStem(), i % 2 == 0));
    }
    return uploads;
  }

  /** What was counted, each exactly once. */
  record Counts(int studies, int slices, int masks, int quality, int deadLetters) {}

  /**
   * Waits until every study is summarised and every slice its summary lists has its mask and
   * quality record, then checks, read_committed, that there is exactly one {@code studies} event
   * and one summary per study, exactly one slice, mask and quality record per listed slice, nothing
   * else, and no dead letter.
   */
  static Counts awaitExactlyOnce(
      String bootstrap, Topics topics, Set<String> studyUids, Duration bound) {
    try (TopicReader<String, Study> studies = new TopicReader<>(bootstrap, topics.studies());
        TopicReader<String, SliceSummary> summaries =
            new TopicReader<>(bootstrap, topics.slicesSummary());
        TopicReader<String, Slice> slices = new TopicReader<>(bootstrap, topics.slices());
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        TopicReader<String, Quality> quality = new TopicReader<>(bootstrap, topics.quality());
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      Map<String, SliceSummary> summaryByStudy = new HashMap<>();
      await()
          .atMost(bound)
          .until(
              () -> {
                summaries.records().forEach(r -> summaryByStudy.put(r.key(), r.value()));
                return summaryByStudy.keySet().containsAll(studyUids);
              });
      Set<String> expectedSlices = new TreeSet<>();
      summaryByStudy.forEach(
          (uid, summary) ->
              summary
                  .getEmittedSliceIndexes()
                  .forEach(i -> expectedSlices.add(new SliceKey(uid, i).toString())));
      assertThat(expectedSlices).isNotEmpty();
      await()
          .atMost(bound)
          .until(
              () ->
                  keys(masks.records()).containsAll(expectedSlices)
                      && keys(quality.records()).containsAll(expectedSlices));

      assertThat(countByKey(studies.readToEnd(bound)))
          .as("one studies event per study")
          .containsOnlyKeys(studyUids)
          .allSatisfy((uid, n) -> assertThat(n).as(uid).isEqualTo(1));
      assertThat(countByKey(summaries.readToEnd(bound)))
          .as("one summary per study")
          .containsOnlyKeys(studyUids)
          .allSatisfy((uid, n) -> assertThat(n).as(uid).isEqualTo(1));
      List<ConsumerRecord<String, Slice>> sliceRecords = slices.readToEnd(bound);
      List<ConsumerRecord<String, Mask>> maskRecords = masks.readToEnd(bound);
      List<ConsumerRecord<String, Quality>> qualityRecords = quality.readToEnd(bound);
      assertExactlyOncePerSlice("slices", sliceRecords, expectedSlices);
      assertExactlyOncePerSlice("masks", maskRecords, expectedSlices);
      assertExactlyOncePerSlice("quality", qualityRecords, expectedSlices);
      List<ConsumerRecord<String, DeadLetter>> dead = deadLetters.readToEnd(bound);
      assertThat(dead).as("valid studies dead-lettered").isEmpty();
      return new Counts(
          studyUids.size(),
          sliceRecords.size(),
          maskRecords.size(),
          qualityRecords.size(),
          dead.size());
    }
  }

  /**
   * Waits until every study has its {@code segmentations} event, then checks, read_committed, that
   * there is exactly one per study, nothing else, and (results being the last stage to write any)
   * no dead letter.
   *
   * @return the events counted
   */
  static int awaitOneSegmentationPerStudy(
      String bootstrap, Topics topics, Set<String> studyUids, Duration bound) {
    try (TopicReader<String, Segmentation> segmentations =
            new TopicReader<>(bootstrap, topics.segmentations());
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      segmentations.awaitKeys(studyUids, bound);
      List<ConsumerRecord<String, Segmentation>> events = segmentations.readToEnd(bound);
      assertThat(countByKey(events))
          .as("one segmentations event per study")
          .containsOnlyKeys(studyUids)
          .allSatisfy((uid, n) -> assertThat(n).as(uid).isEqualTo(1));
      assertThat(deadLetters.readToEnd(bound)).as("dead letters").isEmpty();
      return events.size();
    }
  }

  private static <V> void assertExactlyOncePerSlice(
      String topic, List<ConsumerRecord<String, V>> records, Set<String> expected) {
    assertThat(countByKey(records))
        .as("records per slice on %s", topic)
        .containsOnlyKeys(expected)
        .allSatisfy((key, n) -> assertThat(n).as("%s %s", topic, key).isEqualTo(1));
  }

  private static <V> Set<String> keys(List<ConsumerRecord<String, V>> records) {
    return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
  }

  private static <V> Map<String, Long> countByKey(List<ConsumerRecord<String, V>> records) {
    return records.stream()
        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
  }

  /** Waits (bounded) until {@code service} answers {@code /health}; fails with its log's tail. */
  static void awaitHealthy(ServiceProcess service, Duration bound) {
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            () -> {
              if (!service.isAlive()) {
                throw new AssertionError(service + " exited:\n" + service.logTail(30));
              }
            })
        .until(service::healthy);
  }
}
