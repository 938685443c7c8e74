package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.announce;
import static io.spineflow.inference.InferenceFixtures.filled;
import static io.spineflow.inference.InferenceFixtures.send;
import static io.spineflow.inference.InferenceFixtures.settings;
import static io.spineflow.inference.InferenceFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Slice;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every poison kind on both topics inference reads ({@code slices}, {@code models}), against the
 * running service on a real broker with a real model: one dead letter each with its reason, {@code
 * /health} still UP, the valid slice sent afterwards segmented, and a restart on the same state
 * dead-letters no slice again and crashes on nothing.
 */
class PoisonRecordsIT {
  @TempDir Path dir;

  @Test
  void everyPoisonKindIsOneDeadLetterAndTheServiceCarriesOn() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Path storeDir = dir.resolve("models");
    StoredModel v1 = TestModels.store(new ModelStore(storeDir), MODEL, 1);
    Settings settings = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    ServiceContext context = ServiceContext.from("inference", settings);
    ServiceLauncher.prepareKafka(context, InferenceService.ownedTopics(topics));
    try (KafkaProducer<String, Object> events =
            new KafkaProducer<>(
                clients.producer("it-events", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        KafkaProducer<String, byte[]> raw =
            new KafkaProducer<>(
                clients.producer("it-raw", null, 4 << 20),
                new StringSerializer(),
                new ByteArraySerializer());
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      List<String> expected = new ArrayList<>();
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        InferenceService service = InferenceService.create(context);
        launcher.launch(context, service, 0, s -> Map.of());
        announce(events, topics, v1);
        send(events, topics, slice("before", 0, null));
        masks.awaitAtLeast(1, Duration.ofMinutes(2));

        for (PoisonRecords.Poison p : PoisonRecords.kinds(topics, topics.slices())) {
          raw.send(p.on(topics.slices().name(), "poison/" + expected.size())).get();
          expected.add("slices " + p.expectedReason());
        }
        sendHostile(events, topics, expected, s -> s.setPixels(filled(Float.NaN)));
        sendHostile(events, topics, expected, s -> s.setPixels(filled(Float.NEGATIVE_INFINITY)));
        sendHostile(events, topics, expected, s -> s.setPixels(ByteBuffer.allocate(8)));
        sendHostile(events, topics, expected, s -> s.setWidth(-1));
        sendHostile(events, topics, expected, s -> s.setHeight(1 << 30));
        for (PoisonRecords.Poison p : PoisonRecords.kinds(topics, topics.models())) {
          raw.send(p.on(topics.models().name(), MODEL)).get();
          expected.add("models " + p.expectedReason());
        }
        ModelAnnouncement odd = TestModels.announce(v1);
        odd.setVersion(2);
        odd.setLocation("foo:bar");
        events.send(new ProducerRecord<>(topics.models().name(), MODEL, odd)).get();
        expected.add("models MODEL_LOCATION_INVALID");
        // An operator rolls back to v1, so a restart serves it again (at start-up only the latest
        // announcement is loaded).
        announce(events, topics, v1);

        List<ConsumerRecord<String, DeadLetter>> letters =
            deadLetters.awaitAtLeast(expected.size(), Duration.ofMinutes(2));
        send(events, topics, slice("after", 0, null));
        masks.awaitAtLeast(2, Duration.ofMinutes(1));
        assertThat(letters)
            .extracting(r -> topicOf(topics, r.value()) + " " + r.value().getReasonCode())
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(letters).allMatch(r -> r.value().getField() != null);
        assertThat(service.health().up()).isTrue();
        assertThat(service.health().state()).isEqualTo("RUNNING");
        assertThat(service.liveVersion()).as("the old model keeps serving").isEqualTo(1);
      }

      // Restarted on the same state: the poisonous slices are behind the committed offsets.
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        InferenceService service = InferenceService.create(context);
        launcher.launch(context, service, 0, s -> Map.of());
        await().atMost(Duration.ofMinutes(1)).until(() -> service.liveVersion() == 1);
        send(events, topics, slice("restarted", 0, null));
        masks.awaitAtLeast(3, Duration.ofMinutes(2));
        assertThat(service.health().up()).isTrue();
      }
      assertThat(masks.readToEnd(Duration.ofSeconds(30)))
          .extracting(ConsumerRecord::key)
          .containsExactly("before/0", "after/0", "restarted/0");
      assertThat(deadLetters.readToEnd(Duration.ofSeconds(30)))
          .filteredOn(r -> r.value().getOriginalTopic().equals(topics.slices().name()))
          .as("no slice dead-lettered twice")
          .hasSize((int) expected.stream().filter(e -> e.startsWith("slices ")).count());
    }
  }

  private static String topicOf(Topics topics, DeadLetter letter) {
    return letter.getOriginalTopic().equals(topics.slices().name()) ? "slices" : "models";
  }

  private static void sendHostile(
      KafkaProducer<String, Object> events,
      Topics topics,
      List<String> expected,
      UnaryOperator<Slice.Builder> change)
      throws Exception {
    Slice valid = slice("hostile", expected.size(), null);
    Slice hostile = change.apply(Slice.newBuilder(valid)).build();
    events
        .send(
            new ProducerRecord<>(
                topics.slices().name(), "hostile/" + expected.size(), (Object) hostile))
        .get();
    expected.add("slices INVALID_VALUE");
  }
}
