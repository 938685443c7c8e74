package io.spineflow.trainer;

import io.spineflow.events.AuditEvent;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.TrainingProgress;
import io.spineflow.schemas.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** The serialiser of the client that writes more than one topic, each with its topic's serde. */
final class EventSerdes {
  private EventSerdes() {}

  /** Writes {@link ModelAnnouncement}s, {@link TrainingProgress} and {@link AuditEvent}s. */
  static Serializer<Object> outcomes(Topics topics) {
    Serializer<ModelAnnouncement> models = topics.models().valueSerde().serializer();
    Serializer<TrainingProgress> training = topics.training().valueSerde().serializer();
    Serializer<AuditEvent> audit = topics.audit().valueSerde().serializer();
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
        if (data instanceof AuditEvent e) {
          return audit.serialize(topic, headers, e);
        }
        throw new IllegalArgumentException("the trainer does not publish " + data.getClass());
      }
    };
  }
}
