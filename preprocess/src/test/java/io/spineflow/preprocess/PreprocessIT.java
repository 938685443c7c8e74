package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service against a real broker: phantom studies of all three sequences go in, slices and
 * summaries come out (read_committed), and stopping the service mid-stream and starting a new
 * instance on the same application id and state directory loses and duplicates nothing.
 */
class PreprocessIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dataDir;

  @Test
  void studiesOfEverySequenceBecomeSlicesExactlyOnceAcrossARestart() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 3);
    Settings settings =
        Settings.of(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "topic.prefix",
                topics.prefix(),
                "topic.partitions",
                "3",
                "data.dir",
                dataDir.toString(),
                "startup.timeout",
                "60s",
                "preprocess.application.id",
                "it-" + topics.prefix() + "preprocess"));
    PreprocessConfig config = PreprocessConfig.from(settings);
    // Ingest's side: inline up to the documented limit, by claim check above it.
    VolumeMapper volumes =
        new VolumeMapper(
            new ClaimCheckStore(config.claimCheckDir()), Topics.STUDY_INLINE_MAX_BYTES);

    // Half-size phantoms of every sequence (some studies unlabelled), 30 studies in the first
    // batch so the first instance is stopped with most of them still waiting, and one study
    // whose voxels travel by claim check (ingest's choice above its inline limit; forced here).
    Map<String, PhantomStudy> phantoms = new HashMap<>();
    Sequence[] sequences = Sequence.values();
    List<PhantomStudy> distinct = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      distinct.add(TestStudies.phantom(sequences[i % 3], 100 + i, 0.5));
    }
    List<Study> firstBatch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String uid = "it-" + i;
      PhantomStudy phantom = distinct.get(i % distinct.size());
      phantoms.put(uid, phantom);
      firstBatch.add(TestStudies.study(uid, volumes, phantom, i % 5 != 4));
    }
    VolumeMapper claimChecks = new VolumeMapper(new ClaimCheckStore(config.claimCheckDir()), 1024);
    PhantomStudy claimed = TestStudies.phantom(Sequence.T2_SPACE, 200, 0.5);
    phantoms.put("it-claim-check", claimed);
    firstBatch.add(TestStudies.study("it-claim-check", claimChecks, claimed, true));
    assertThat(firstBatch.get(30).getImage().getVoxels() instanceof ClaimCheck).isTrue();
    List<Study> secondBatch = new ArrayList<>();
    for (int i = 30; i < 36; i++) {
      String uid = "it-" + i;
      PhantomStudy phantom = distinct.get(i % distinct.size());
      phantoms.put(uid, phantom);
      secondBatch.add(TestStudies.study(uid, volumes, phantom, true));
    }

    try (KafkaProducer<String, Study> producer = studyProducer(settings, topics);
        TopicReader<String, SliceSummary> summaries =
            new TopicReader<>(bootstrap, topics.slicesSummary())) {
      // First instance: started, fed, and stopped once some (not all) studies are done.
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        ServiceContext context = ServiceContext.from(PreprocessService.NAME, settings);
        ServiceLauncher.prepareKafka(context, PreprocessService.ownedTopics(context.topics()));
        launcher.launch(context, new PreprocessService(context, config), 0, s -> Map.of());
        assertThat(health(launcher.lastPort())).contains("\"status\":\"UP\"");

        for (Study study : firstBatch) {
          producer.send(new ProducerRecord<>(topics.studies().name(), study.getStudyUid(), study));
        }
        producer.flush();
        summaries.awaitAtLeast(3, WAIT);
        assertThat(context.metrics().scrape())
            .contains("spineflow_preprocess_slices_emitted")
            .contains("kafka_stream");
      }
      int doneBeforeRestart = summaries.readToEnd(WAIT).size();
      assertThat(doneBeforeRestart).as("stopped mid-stream").isLessThan(firstBatch.size());

      // Studies keep arriving while no instance runs; one of them is not a Study at all.
      for (Study study : secondBatch) {
        producer.send(new ProducerRecord<>(topics.studies().name(), study.getStudyUid(), study));
      }
      producer.flush();
      sendJunk(settings, topics);

      // Second instance: same application id and state directory, a fresh context.
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        ServiceContext context = ServiceContext.from(PreprocessService.NAME, settings);
        launcher.launch(context, new PreprocessService(context, config), 0, s -> Map.of());
        summaries.awaitAtLeast(phantoms.size(), WAIT);
      }

      List<ConsumerRecord<String, SliceSummary>> done = summaries.readToEnd(WAIT);
      assertThat(done)
          .extracting(ConsumerRecord::key)
          .as("one summary per study, none twice")
          .containsExactlyInAnyOrderElementsOf(phantoms.keySet());

      Map<String, Long> sliceKeys;
      try (TopicReader<String, Slice> slices = new TopicReader<>(bootstrap, topics.slices())) {
        sliceKeys =
            slices.readToEnd(WAIT).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
      }
      Set<String> expected = new java.util.HashSet<>();
      for (ConsumerRecord<String, SliceSummary> record : done) {
        SliceSummary summary = record.value();
        PhantomStudy phantom = phantoms.get(record.key());
        assertThat(summary.getSequence().name()).isEqualTo(phantom.sequence().name());
        assertThat(summary.getSourceSlices())
            .isEqualTo(phantom.image().geometry().size()[phantom.truth().sagittalAxis()]);
        int dropped = summary.getDroppedByReason().values().stream().mapToInt(n -> n).sum();
        assertThat(summary.getEmittedSliceIndexes().size() + dropped)
            .isEqualTo(summary.getSourceSlices());
        assertThat(summary.getEmittedSliceIndexes()).isNotEmpty();
        for (int index : summary.getEmittedSliceIndexes()) {
          expected.add(new SliceKey(record.key(), index).toString());
        }
      }
      assertThat(sliceKeys.keySet()).as("no slice without a summary").isEqualTo(expected);
      assertThat(sliceKeys)
          .as("every slice exactly once")
          .allSatisfy((k, n) -> assertThat(n).isOne());

      try (TopicReader<String, DeadLetter> letters =
          new TopicReader<>(bootstrap, topics.deadletter())) {
        DeadLetter letter = letters.awaitAtLeast(1, WAIT).get(0).value();
        assertThat(letter.getReasonCode()).isEqualTo("UNDECODABLE_STUDY");
        assertThat(letter.getOriginalLocation()).startsWith(topics.studies().name() + "/");
      }
    }
  }

  private static KafkaProducer<String, Study> studyProducer(Settings settings, Topics topics) {
    ServiceContext context = ServiceContext.from("it-producer", settings);
    return new KafkaProducer<>(
        context.kafka().producer("it-studies", null, Topics.STUDY_MAX_BYTES),
        new StringSerializer(),
        topics.studies().valueSerde().serializer());
  }

  private static void sendJunk(Settings settings, Topics topics) {
    ServiceContext context = ServiceContext.from("it-producer", settings);
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(
            context.kafka().producer("it-junk", null, 1 << 20),
            new StringSerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topics.studies().name(), "junk", new byte[] {0x0F, 0x00}));
    }
  }

  private static String health(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
