package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every poison kind on each topic the trainer reads ({@code slices}, {@code slices.summary}, {@code
 * retrain}, {@code models}), against the running service on a real broker: one dead letter each
 * with its reason, health still up, and the valid study, announcement and retrain request sent
 * afterwards are taken.
 */
class PoisonRecordsIT {
  private static final String MODEL = "spine-unet";

  @TempDir Path dataDir;

  @Test
  void everyPoisonKindIsOneDeadLetterAndTheTrainerCarriesOn() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Map<String, String> values = TinyData.settings(bootstrap, topics, dataDir);
    values.put("trainer.min.studies", "100"); // never trains here
    values.put("trainer.trigger.new.studies", "0");
    Settings settings = Settings.of(values);
    ServiceContext context = ServiceContext.from(TrainerService.NAME, settings);
    TrainerService trainer = new TrainerService(context, TrainerConfig.from(settings));
    List<String> expected = new ArrayList<>();
    try (KafkaProducer<String, Object> events = TinyData.producer(bootstrap, topics);
        KafkaProducer<String, byte[]> raw = rawProducer(bootstrap);
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      trainer.start();
      List<Topic<String, ?>> inputs =
          List.of(topics.slices(), topics.slicesSummary(), topics.retrain(), topics.models());
      for (Topic<String, ?> topic : inputs) {
        for (PoisonRecords.Poison p : PoisonRecords.kinds(topics, topic)) {
          raw.send(p.on(topic.name(), MODEL)).get();
          expected.add(topic.name() + " " + p.expectedReason());
        }
      }
      Slice valid = PhantomSlices.events(TinyData.examples(List.of("poison-0")), true).get(0);
      Slice nan = Slice.newBuilder(valid).setPixels(ByteBuffer.wrap(nanPixels(valid))).build();
      events.send(new ProducerRecord<>(topics.slices().name(), "nan/0", nan)).get();
      expected.add(topics.slices().name() + " INVALID_VALUE");

      List<ConsumerRecord<String, DeadLetter>> letters =
          deadLetters.awaitAtLeast(expected.size(), Duration.ofMinutes(1));
      assertThat(letters)
          .extracting(r -> r.value().getOriginalTopic() + " " + r.value().getReasonCode())
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(letters).allMatch(r -> r.value().getStage().equals("trainer"));
      assertThat(trainer.health().up()).isTrue();

      // Valid records afterwards: a labelled study, an announcement, a retrain request.
      List<PhantomSlices.Example> study = TinyData.examples(List.of("poison-0"));
      for (Slice s : PhantomSlices.events(study, true)) {
        events.send(
            new ProducerRecord<>(
                topics.slices().name(), s.getStudyUid() + "/" + s.getSliceIndex(), s));
      }
      events.send(
          new ProducerRecord<>(
              topics.slicesSummary().name(),
              "poison-0",
              PhantomSlices.summary("poison-0", study, true)));
      announce(bootstrap, topics);
      events.send(new ProducerRecord<>(topics.retrain().name(), MODEL, request()));
      events.flush();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  trainer.health().details().get("completeStudies").equals(1)
                      && gauge(context, "spineflow_trainer_live_version") == 7
                      && gauge(context, "spineflow_trainer_pending_requests") == 1);
      assertThat(trainer.health().up()).isTrue();
      assertThat(deadLetters.readToEnd(Duration.ofSeconds(30))).hasSize(expected.size());
    } finally {
      trainer.close();
    }
  }

  private static double gauge(ServiceContext context, String name) {
    return context.metrics().get(name).gauge().value();
  }

  private void announce(String bootstrap, Topics topics) throws Exception {
    ModelStore store = new ModelStore(dataDir.resolve("trainer").resolve("models"));
    ModelAnnouncement announcement;
    try (SegmentationModel model = SegmentationModel.untrained(TinyData.TINY, Devices.best(), 7)) {
      announcement =
          ModelAnnouncements.promoted(
              store.save(MODEL, 7, model.djlModel().getBlock(), TinyData.TINY, Map.of()));
    }
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            topics.models().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.models().name(), MODEL, announcement)).get();
    }
  }

  private static RetrainRequest request() {
    return RetrainRequest.newBuilder()
        .setRequestId("after-poison")
        .setModelName(MODEL)
        .setRequestedBy("poison-it")
        .setOrigin(RetrainOrigin.CLI)
        .setReason("valid after poison")
        .setRequestedAt(Instant.now())
        .build();
  }

  private static byte[] nanPixels(Slice slice) {
    byte[] bytes = new byte[slice.getPixels().remaining()];
    slice.getPixels().duplicate().get(bytes);
    int nan = Float.floatToIntBits(Float.NaN);
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) (nan >>> (8 * i)); // the first pixel, little-endian
    }
    return bytes;
  }

  private static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }
}
