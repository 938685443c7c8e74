package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.SIZE;
import static io.spineflow.inference.InferenceFixtures.announce;
import static io.spineflow.inference.InferenceFixtures.send;
import static io.spineflow.inference.InferenceFixtures.sendSlices;
import static io.spineflow.inference.InferenceFixtures.settings;
import static io.spineflow.inference.InferenceFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference service on a real broker with real (tiny) DJL models: exactly one mask and one
 * quality record per slice while models are swapped mid-stream (one of them corrupt and rejected),
 * and after the service is SIGKILLed mid-stream and restarted; partially labelled slices get
 * quality only for the classes they label.
 */
class InferenceIT {

  @TempDir Path dir;

  @Test
  void exactlyOneMaskPerSliceThroughSwapsACorruptModelAndAKill() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 3);
    Path storeDir = dir.resolve("models");
    ModelStore store = new ModelStore(storeDir);
    StoredModel v1 = TestModels.store(store, MODEL, 1);
    StoredModel v2 = TestModels.store(store, MODEL, 2);
    StoredModel v3 = TestModels.store(store, MODEL, 3);
    StoredModel v4 = TestModels.store(store, MODEL, 4);
    // v3 is corrupted after it was announced-to-be: its weights no longer match the checksum.
    byte[] weights = Files.readAllBytes(v3.weightsFile());
    weights[weights.length / 2] ^= 0x5A;
    Files.write(v3.weightsFile(), weights);

    Settings settings = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, Object> producer =
            new KafkaProducer<>(
                clients.producer("it-producer", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        TopicReader<String, Quality> quality = new TopicReader<>(bootstrap, topics.quality());
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {

      // Phase 1: in-process service, slices flowing while v2, corrupt v3 and v4 are announced.
      ServiceContext context = ServiceContext.from("inference", settings);
      ServiceLauncher.prepareKafka(context, InferenceService.ownedTopics(topics));
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        InferenceService service = InferenceService.create(context);
        launcher.launch(context, service, 0, s -> Map.of());
        sendSlices(producer, topics, 0, 10);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> service.health().state().equals("WAITING_FOR_MODEL"));
        assertThat(masks.records()).as("no model yet: nothing is segmented").isEmpty();
        // inference.device auto on a machine whose engine sees no GPU (a GPU machine: gpu(0)).
        assertThat(service.health().details())
            .containsEntry("device", Devices.gpuCount() > 0 ? "gpu(0)" : "cpu()");

        announce(producer, topics, v1);
        sendSlices(producer, topics, 10, 40);
        masks.awaitAtLeast(20, Duration.ofMinutes(2));
        announce(producer, topics, v2);
        sendSlices(producer, topics, 40, 60);
        announce(producer, topics, v3);
        sendSlices(producer, topics, 60, 80);
        announce(producer, topics, v4);
        await().atMost(Duration.ofMinutes(1)).until(() -> service.liveVersion() == 4);
        sendSlices(producer, topics, 80, 100);
        masks.awaitAtLeast(100, Duration.ofMinutes(3));

        List<ConsumerRecord<String, DeadLetter>> rejected =
            deadLetters.awaitAtLeast(1, Duration.ofSeconds(30));
        assertThat(rejected)
            .extracting(r -> r.value().getReasonCode())
            .containsExactly("CHECKSUM_MISMATCH");
        assertThat(rejected.get(0).value().getMessage()).contains("v3");
        Set<Integer> versions =
            masks.records().stream()
                .map(r -> r.value().getModelVersion())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(versions).contains(1, 4).doesNotContain(3);
        // The slices sent once v4 was live (studies 8 and 9) all got v4 masks. (Not "the last mask
        // read is v4": across partitions, the order a reader polls in is not the order produced.)
        assertThat(
                masks.records().stream()
                    .filter(r -> r.key().startsWith("study-8/") || r.key().startsWith("study-9/"))
                    .map(r -> r.value().getModelVersion()))
            .hasSize(20)
            .containsOnly(4);
      }

      // Phase 2: the service in its own JVM, SIGKILLed while slices stream, then restarted.
      sendSlices(producer, topics, 100, 220);
      Process first = startProcess(bootstrap, topics, storeDir, settings);
      await().atMost(Duration.ofMinutes(2)).until(() -> masks.records().size() >= 130);
      first.destroyForcibly().waitFor();
      assertThat(masks.records().size()).as("killed before it finished").isLessThan(220);
      Process second = startProcess(bootstrap, topics, storeDir, settings);
      try {
        masks.awaitAtLeast(220, Duration.ofMinutes(3));
        quality.awaitAtLeast(220, Duration.ofMinutes(1));
      } finally {
        second.destroyForcibly().waitFor();
      }

      assertExactlyOncePerSlice(masks.readToEnd(Duration.ofSeconds(30)), 220);
      assertExactlyOncePerSlice(quality.readToEnd(Duration.ofSeconds(30)), 220);
      Quality labelled =
          quality.records().stream()
              .map(ConsumerRecord::value)
              .filter(q -> !q.getClassMetrics().isEmpty())
              .findFirst()
              .orElseThrow();
      assertThat(labelled.getClassMetrics()).hasSize(4);
      assertThat(labelled.getAreaFractions()).hasSize(4);
    }
  }

  /**
   * A partially labelled study's slices through the real service: a disc-only label gets metrics
   * for the discs alone, a bodies-only vertebra label recall and area ratio without Dice, and the
   * classes they leave unlabelled no entry at all (undefined, never 0), while a complete label in
   * the same batch is scored as always.
   */
  @Test
  void partialLabelsGetQualityOnlyForTheClassesTheyLabel() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Path storeDir = dir.resolve("models");
    StoredModel v1 = TestModels.store(new ModelStore(storeDir), MODEL, 1);
    Settings settings = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    Map<String, Quality> byKey = new HashMap<>();
    try (KafkaProducer<String, Object> producer =
            new KafkaProducer<>(
                clients.producer("it-partial-producer", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        TopicReader<String, Quality> quality = new TopicReader<>(bootstrap, topics.quality())) {
      ServiceContext context = ServiceContext.from("inference", settings);
      ServiceLauncher.prepareKafka(context, InferenceService.ownedTopics(topics));
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        launcher.launch(context, InferenceService.create(context), 0, s -> Map.of());
        announce(producer, topics, v1);
        // Discs are labelled on rows 24-31; the extent (rows 16-31) also holds the canal's rows,
        // where a 0 is unknown for the canal, not background.
        LabelScope discsOnly = scope(16, SIZE - 1, LabelledClass.DISCS);
        LabelScope bodiesAndDiscs =
            scope(0, SIZE - 1, LabelledClass.VERTEBRAL_BODIES, LabelledClass.DISCS);
        send(producer, topics, slice("disc-only", 0, discsOnly));
        send(producer, topics, slice("disc-only", 1, discsOnly));
        send(producer, topics, slice("bodies", 0, bodiesAndDiscs));
        send(producer, topics, slice("complete", 0, null));
        producer.flush();
        quality.awaitAtLeast(4, Duration.ofMinutes(2));
      }
      quality.readToEnd(Duration.ofSeconds(30)).forEach(r -> byKey.put(r.key(), r.value()));
    }
    assertThat(byKey).hasSize(4);

    for (String key : List.of("disc-only/0", "disc-only/1")) {
      List<ClassMetrics> metrics = byKey.get(key).getClassMetrics();
      assertThat(metrics).as(key).extracting(ClassMetrics::getClassIndex).containsExactly(3);
      assertThat(metrics.get(0).getDice()).as("discs are labelled in the extent").isNotNull();
      assertThat(metrics.get(0).getAreaRatio()).isNull();
    }
    List<ClassMetrics> bodies = byKey.get("bodies/0").getClassMetrics();
    assertThat(bodies).extracting(ClassMetrics::getClassIndex).containsExactly(1, 3);
    assertThat(bodies.get(0).getDice()).isNull();
    assertThat(bodies.get(0).getIou()).isNull();
    assertThat(bodies.get(0).getRecall()).isNotNull();
    assertThat(bodies.get(0).getAreaRatio()).isNotNull();
    assertThat(byKey.get("complete/0").getClassMetrics())
        .extracting(ClassMetrics::getClassIndex)
        .containsExactly(0, 1, 2, 3);
  }

  private static LabelScope scope(int firstRow, int lastRow, LabelledClass... classes) {
    return LabelScope.newBuilder()
        .setClasses(List.of(classes))
        .setFirstRow(firstRow)
        .setLastRow(lastRow)
        .build();
  }

  private static <V> void assertExactlyOncePerSlice(
      List<ConsumerRecord<String, V>> records, int n) {
    Map<String, Long> perKey =
        records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    assertThat(perKey).hasSize(n);
    assertThat(perKey.values()).allMatch(count -> count == 1L);
  }

  private Process startProcess(String bootstrap, Topics topics, Path storeDir, Settings settings)
      throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                InferenceProcess.class.getName(),
                bootstrap,
                topics.prefix(),
                storeDir.toString(),
                MODEL,
                settings.string(InferenceSettings.INSTANCE_ID),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                lines.add(e.toString());
              }
            });
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofMinutes(1))
        .failFast("inference process exited: " + lines, () -> !process.isAlive())
        .until(() -> lines.contains("READY"));
    return process;
  }
}
