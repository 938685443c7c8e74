package io.spineflow.cli;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code demo --model DIR}: puts a model directory (weights.params, architecture.json) into the
 * demo's model store as the next version and announces it, so inference serves it without training.
 * A model already installed (same weights as the latest version) is not installed again.
 */
final class DemoModel {
  private DemoModel() {}

  static int install(
      Path source, ModelStore store, String name, KafkaClients clients, Topics topics) {
    StoredModel given;
    try {
      given = ModelStore.inspect(source);
    } catch (ModelRejectedException e) {
      throw new ConfigException("--model", source + ": " + e.getMessage());
    }
    OptionalInt latest = store.latestVersion(name);
    try {
      if (latest.isPresent()
          && ModelStore.inspect(store.directory(name, latest.getAsInt()))
              .sha256()
              .equals(given.sha256())) {
        return latest.getAsInt();
      }
      int version = latest.orElse(0) + 1;
      Path target = store.directory(name, version);
      Files.createDirectories(target);
      try (Stream<Path> files = Files.list(source)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.copy(file, target.resolve(file.getFileName()));
        }
      }
      ModelAnnouncement announcement =
          ModelAnnouncements.fromStore(
              store, name, version, AnnouncementKind.PROMOTED, Instant.now());
      try (KafkaProducer<String, ModelAnnouncement> producer =
          new KafkaProducer<>(
              clients.producer("demo-model", null, topics.models().settings().maxMessageBytes()),
              new StringSerializer(),
              topics.models().valueSerde().serializer())) {
        producer.send(new ProducerRecord<>(topics.models().name(), name, announcement)).get();
      }
      return version;
    } catch (ModelRejectedException | IOException e) {
      throw new ConfigException("--model", "cannot install " + source + ": " + e.getMessage());
    } catch (Exception e) {
      throw new ConfigException("--model", "cannot announce " + source + ": " + e);
    }
  }
}
