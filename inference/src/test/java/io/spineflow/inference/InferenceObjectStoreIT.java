package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.sendSlices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArtifacts;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.objectstore.InProcessS3;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models without a shared disk: a trainer-side store on one "host" (one data directory) publishes
 * versions to an S3 bucket (an in-process S3Proxy server) and the inference service on another data
 * directory, sharing only the bucket, loads the announced model at start-up, swaps to the next one,
 * and dead-letters a version whose weights blob is missing while it keeps serving.
 */
class InferenceObjectStoreIT {

  @TempDir Path dir;

  @Test
  void inferenceOnAnotherHostSwapsToModelsItFetchesFromTheBucket() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Path trainerHost = Files.createDirectories(dir.resolve("trainer-host"));
    Path inferenceHost = Files.createDirectories(dir.resolve("inference-host"));
    try (InProcessS3 s3 = InProcessS3.start(Files.createDirectories(dir.resolve("s3")))) {
      String bucket = s3.createBucket("spineflow-models");
      Map<String, String> environment =
          Map.of("SPINEFLOW_BLOBSTORE_S3_SECRET_KEY", InProcessS3.SECRET_KEY);
      Map<String, String> common = new HashMap<>();
      common.put("blobstore.type", "s3");
      common.put("blobstore.s3.endpoint", s3.endpoint());
      common.put("blobstore.s3.bucket", bucket);
      common.put("blobstore.s3.prefix", "blobs/");
      common.put("blobstore.s3.access.key", InProcessS3.ACCESS_KEY);

      // The trainer's side: versions saved in its own directory and published to the bucket.
      Map<String, ModelAnnouncement> announced = new HashMap<>();
      try (BlobStore blobs =
          ModelArtifacts.remote(new Settings(common, environment), trainerHost.resolve("spool"))
              .orElseThrow()) {
        ModelStore trainerStore = new ModelStore(trainerHost.resolve("models"), blobs);
        for (int v = 1; v <= 3; v++) {
          StoredModel stored = TestModels.store(trainerStore, MODEL, v);
          ModelAnnouncement a =
              ModelAnnouncements.withArtifacts(
                  TestModels.announce(stored), trainerStore.publish(stored).orElseThrow());
          assertThat(a.getLocation()).isEqualTo("blob:" + MODEL + "/v" + v);
          announced.put("v" + v, a);
        }
        // v3's weights never reach the bucket (a failed upload, an erased blob).
        blobs.delete(
            BlobRef.parse(announced.get("v3").getArtifacts().get(ModelStore.WEIGHTS_FILE)));
      }
      // Nothing of the trainer's disk is visible to inference: its directory is gone.
      deleteRecursively(trainerHost);

      Map<String, String> onInference = new HashMap<>(common);
      onInference.put("bootstrap.servers", bootstrap);
      onInference.put("topic.prefix", topics.prefix());
      // No volume shared with the trainer: this directory never exists.
      onInference.put("model.store", inferenceHost.resolve("no-shared-volume").toString());
      onInference.put("model.name", MODEL);
      onInference.put("inference.instance.id", "it-" + topics.prefix());
      onInference.put("data.dir", inferenceHost.toString());
      onInference.put("inference.max.batch", "4");
      onInference.put("inference.threads", "1");
      Settings settings = new Settings(onInference, environment);

      KafkaClients clients = new KafkaClients(bootstrap, Map.of());
      try (KafkaProducer<String, Object> producer =
              new KafkaProducer<>(
                  clients.producer("it-producer", null, 4 << 20),
                  new StringSerializer(),
                  new InferenceFixtures.TestEventSerializer(topics));
          TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
          TopicReader<String, DeadLetter> deadLetters =
              new TopicReader<>(bootstrap, topics.deadletter())) {
        // v1 is the live model before the service starts: it finds it on the topic at start-up.
        announce(producer, topics, announced.get("v1"));
        ServiceContext context = ServiceContext.from("inference", settings);
        ServiceLauncher.prepareKafka(context, InferenceService.ownedTopics(topics));
        try (ServiceLauncher launcher = new ServiceLauncher()) {
          InferenceService service = InferenceService.create(context);
          launcher.launch(context, service, 0, s -> Map.of());
          await().atMost(Duration.ofSeconds(30)).until(() -> service.liveVersion() == 1);
          sendSlices(producer, topics, 0, 10);
          masks.awaitAtLeast(10, Duration.ofSeconds(30));

          announce(producer, topics, announced.get("v2"));
          await().atMost(Duration.ofSeconds(30)).until(() -> service.liveVersion() == 2);

          announce(producer, topics, announced.get("v3"));
          List<ConsumerRecord<String, DeadLetter>> rejected =
              deadLetters.awaitAtLeast(1, Duration.ofSeconds(30));
          assertThat(rejected).hasSize(1);
          DeadLetter letter = rejected.get(0).value();
          assertThat(letter.getReasonCode()).isEqualTo("MISSING_FILE");
          assertThat(letter.getField()).isEqualTo("artifacts");
          assertThat(letter.getMessage()).contains("v3").contains(ModelStore.WEIGHTS_FILE);

          sendSlices(producer, topics, 10, 20);
          masks.awaitAtLeast(20, Duration.ofSeconds(30));
          assertThat(service.liveVersion()).as("v2 keeps serving").isEqualTo(2);
          assertThat(
                  masks.records().stream()
                      .filter(r -> r.key().startsWith("study-1/"))
                      .map(r -> r.value().getModelVersion()))
              .hasSize(10)
              .containsOnly(2);
        }
      }
      Path cache = ServiceContext.from("inference", settings).serviceDir().resolve("models");
      assertThat(cache.resolve(MODEL).resolve("v2").resolve(ModelStore.WEIGHTS_FILE))
          .isRegularFile();
      try (Stream<Path> files = Files.list(cache.resolve(MODEL))) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .as("the rejected v3 leaves nothing in the cache")
            .containsExactlyInAnyOrder("v1", "v2");
      }
      assertThat(inferenceHost.resolve("no-shared-volume")).doesNotExist();
      assertThat(s3.keys(bucket)).isNotEmpty().allMatch(k -> k.startsWith("blobs/"));
    }
  }

  private static void announce(
      KafkaProducer<String, Object> producer, Topics topics, ModelAnnouncement a) throws Exception {
    producer.send(new ProducerRecord<>(topics.models().name(), MODEL, a)).get();
  }

  private static void deleteRecursively(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
