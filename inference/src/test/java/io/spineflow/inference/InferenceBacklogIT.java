package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.announce;
import static io.spineflow.inference.InferenceFixtures.send;
import static io.spineflow.inference.InferenceFixtures.settings;
import static io.spineflow.inference.InferenceFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.spineflow.events.Mask;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.ConsumerLag;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference started on a backlog, as after a WAITING_FOR_MODEL period or an outage: thousands of
 * slices wait on {@code slices} (written in transactions, as preprocess writes them) before the
 * first model is announced. While it catches up, the held-slices gauge, sampled every millisecond,
 * and the loop's own high-water mark never pass the bound (2 x inference.max.batch); every slice
 * gets exactly one mask; and once idle the group's lag is 0, transaction markers included.
 */
class InferenceBacklogIT {
  private static final int SLICES = 3_000;

  @TempDir Path dir;

  @Test
  void heldSlicesStayWithinTheBoundWhileCatchingUpOnABacklog() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 3);
    Path storeDir = dir.resolve("models");
    StoredModel v1 = TestModels.store(new ModelStore(storeDir), MODEL, 1);
    Settings settings = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (KafkaProducer<String, Object> slices =
            new KafkaProducer<>(
                clients.producer("it-backlog-slices", "it-backlog-" + topics.prefix(), 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        KafkaProducer<String, Object> models =
            new KafkaProducer<>(
                clients.producer("it-backlog-models", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        ConsumerLag lag = new ConsumerLag(bootstrap)) {
      ServiceContext context = ServiceContext.from("inference", settings);
      ServiceLauncher.prepareKafka(context, InferenceService.ownedTopics(topics));
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        InferenceService service = InferenceService.create(context);
        launcher.launch(context, service, 0, s -> Map.of());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> service.health().state().equals("WAITING_FOR_MODEL"));

        // The backlog, in transactions of 100 slices like a Streams producer's commits.
        slices.initTransactions();
        Random random = new Random(7);
        for (int i = 0; i < SLICES; i += 100) {
          slices.beginTransaction();
          for (int j = i; j < i + 100; j++) {
            send(slices, topics, slice("study-" + (j / 10), j % 10, j % 2 == 0, null, random));
          }
          slices.commitTransaction();
        }

        Gauge held = context.metrics().get("spineflow_inference_held_slices").gauge();
        int bound = service.heldBound();
        assertThat(bound).isEqualTo(8); // inference.max.batch 4 in the fixtures
        AtomicInteger sampledMax = new AtomicInteger();
        AtomicLong samples = new AtomicLong();
        sampler.scheduleAtFixedRate(
            () -> {
              sampledMax.accumulateAndGet((int) held.value(), Math::max);
              samples.incrementAndGet();
            },
            0,
            1,
            TimeUnit.MILLISECONDS);

        announce(models, topics, v1);
        masks.awaitAtLeast(SLICES, Duration.ofMinutes(5));
        sampler.shutdown();

        System.out.printf(
            "backlog of %d slices: held max %d (sampled max %d over %d samples), bound %d%n",
            SLICES, service.heldSlicesMax(), sampledMax.get(), samples.get(), bound);
        assertThat(samples.get()).as("the gauge was sampled while catching up").isGreaterThan(100);
        assertThat(sampledMax.get()).as("held slices sampled").isBetween(1, bound);
        assertThat(service.heldSlicesMax()).as("the loop's high-water mark").isBetween(1, bound);
        assertThat(context.metrics().get("spineflow_inference_held_slices_max").gauge().value())
            .isEqualTo(service.heldSlicesMax());

        Map<TopicPartition, Long> idle =
            lag.awaitZero(
                InferenceService.groupId(topics), topics.prefix(), 3, Duration.ofMinutes(1));
        assertThat(idle).hasSize(3);
        assertThat(service.health().state()).isEqualTo("RUNNING");
      }
      List<ConsumerRecord<String, Mask>> all = masks.readToEnd(Duration.ofSeconds(30));
      Map<String, Long> perKey =
          all.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
      assertThat(perKey).hasSize(SLICES);
      assertThat(perKey.values()).allMatch(n -> n == 1L);
    } finally {
      sampler.shutdownNow();
    }
  }
}
