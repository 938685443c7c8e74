package io.spineflow.inference;

import io.spineflow.events.LabelScope;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the inference ITs share: settings, slices of the tiny models' size, announcements. */
final class InferenceFixtures {
  static final String MODEL = "spine-unet";
  static final int SIZE = 32;

  private InferenceFixtures() {}

  static void send(KafkaProducer<String, Object> producer, Topics topics, Slice slice) {
    producer.send(
        new ProducerRecord<>(
            topics.slices().name(),
            new SliceKey(slice.getStudyUid(), slice.getSliceIndex()).toString(),
            slice));
  }

  static Settings settings(Path dir, String bootstrap, Topics topics, Path storeDir) {
    return Settings.of(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "topic.prefix",
            topics.prefix(),
            "model.store",
            storeDir.toString(),
            "model.name",
            MODEL,
            "inference.instance.id",
            "it-" + topics.prefix(),
            "data.dir",
            dir.toString(),
            "inference.max.batch",
            "4",
            "inference.threads",
            "1"));
  }

  static void announce(KafkaProducer<String, Object> producer, Topics topics, StoredModel model)
      throws Exception {
    ModelAnnouncement announcement = TestModels.announce(model);
    producer.send(new ProducerRecord<>(topics.models().name(), MODEL, announcement)).get();
  }

  static void sendSlices(KafkaProducer<String, Object> producer, Topics topics, int from, int to)
      throws Exception {
    Random random = new Random(from);
    for (int i = from; i < to; i++) {
      send(producer, topics, slice("study-" + (i / 10), i % 10, i % 2 == 0, null, random));
    }
    producer.flush();
  }

  /** A labelled slice of random pixels whose label is {@code scope}'s (null: complete). */
  static Slice slice(String studyUid, int index, LabelScope scope) {
    return slice(studyUid, index, true, scope, new Random(index));
  }

  /**
   * A slice of random pixels; its label, if any, is four horizontal bands of 8 rows: background,
   * vertebrae, canal, discs.
   */
  static Slice slice(
      String studyUid, int index, boolean labelled, LabelScope scope, Random random) {
    ByteBuffer pixels = ByteBuffer.allocate(SIZE * SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < SIZE * SIZE; p++) {
      pixels.putFloat(random.nextFloat());
    }
    pixels.flip();
    byte[] label = new byte[SIZE * SIZE];
    for (int p = 0; p < label.length; p++) {
      label[p] = (byte) ((p / SIZE) * 4 / SIZE);
    }
    return Slice.newBuilder()
        .setStudyUid(studyUid)
        .setSliceIndex(index)
        .setSequence(Sequence.T2)
        .setWidth(SIZE)
        .setHeight(SIZE)
        .setPixels(pixels)
        .setLabel(labelled ? ByteBuffer.wrap(label) : null)
        .setLabelScope(labelled ? scope : null)
        .setPixelSpacing(List.of(1.0, 1.0))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(index)
        .setSagittalAxis(0)
        .setStudyReceivedAt(Instant.now())
        .setPreprocessedAt(Instant.now())
        .build();
  }

  /** {@code Slice.pixels} of the tiny models' size, every pixel {@code value}. */
  static ByteBuffer filled(float value) {
    ByteBuffer buffer = ByteBuffer.allocate(SIZE * SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < SIZE * SIZE; i++) {
      buffer.putFloat(value);
    }
    return buffer.flip();
  }

  /** Serialises each event with its own topic's serde. */
  static final class TestEventSerializer
      implements org.apache.kafka.common.serialization.Serializer<Object> {
    private final Map<Class<?>, org.apache.kafka.common.serialization.Serializer<Object>> byType =
        new HashMap<>();

    @SuppressWarnings("unchecked")
    TestEventSerializer(Topics topics) {
      byType.put(
          Slice.class,
          (org.apache.kafka.common.serialization.Serializer<Object>)
              (Object) topics.slices().valueSerde().serializer());
      byType.put(
          ModelAnnouncement.class,
          (org.apache.kafka.common.serialization.Serializer<Object>)
              (Object) topics.models().valueSerde().serializer());
    }

    @Override
    public byte[] serialize(String topic, Object data) {
      return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(
        String topic, org.apache.kafka.common.header.Headers headers, Object data) {
      return byType.get(data.getClass()).serialize(topic, headers, data);
    }
  }
}
