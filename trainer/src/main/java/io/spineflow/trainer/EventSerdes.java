package io.spineflow.trainer;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.TrainingProgress;
import io.spineflow.schemas.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Serialisers for clients that write or read more than one topic, each with its topic's serde. */
final class EventSerdes {
  private EventSerdes() {}

  /** Writes {@link ModelAnnouncement}s and {@link TrainingProgress} events. */
  static Serializer<Object> outcomes(Topics topics) {
    Serializer<ModelAnnouncement> models = topics.models().valueSerde().serializer();
    Serializer<TrainingProgress> training = topics.training().valueSerde().serializer();
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, Object data) {
        return serialize(topic, null, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, Object data) {
        if (data instanceof ModelAnnouncement a) {
          return models.serialize(topic, headers, a);
        }
        if (data instanceof TrainingProgress p) {
          return training.serialize(topic, headers, p);
        }
        throw new IllegalArgumentException("the trainer does not publish " + data.getClass());
      }
    };
  }

  /** Reads {@code slices} as {@code Slice} and {@code slices.summary} as {@code SliceSummary}. */
  static Deserializer<Object> trainingData(Topics topics) {
    Deserializer<?> slices = topics.slices().valueSerde().deserializer();
    Deserializer<?> summaries = topics.slicesSummary().valueSerde().deserializer();
    String slicesTopic = topics.slices().name();
    return new Deserializer<>() {
      @Override
      public Object deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
      }

      @Override
      public Object deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
          return null;
        }
        return topic.equals(slicesTopic)
            ? slices.deserialize(topic, headers, data)
            : summaries.deserialize(topic, headers, data);
      }
    };
  }
}
