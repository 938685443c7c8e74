package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.testkit.PoisonRecords;
import io.spineflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison on {@code studies.upload} against the running service on a real broker: the generic kinds
 * (garbage, a tombstone, values with odd schema headers) and claim checks of unknown schemes each
 * end as one dead letter with its reason; health stays up, the valid study sent afterwards is
 * accepted, and a restart on the same state dead-letters nothing again.
 */
class PoisonRecordsIT {
  @TempDir Path dataDir;

  @Test
  void everyPoisonKindIsOneDeadLetterAndIngestCarriesOn() throws Exception {
    List<String> keys = new ArrayList<>();
    RunningIngest.PhantomFiles valid = RunningIngest.phantom(Sequence.T2, 3, 0.5);
    Map<String, String> settings = Map.of("ingest.watch.dir", "");
    String bootstrap;
    String prefix;
    try (RunningIngest ingest = RunningIngest.start(dataDir, settings);
        KafkaProducer<String, byte[]> producer = ingest.pacsProducer()) {
      bootstrap = ingest.bootstrapServers();
      prefix = ingest.context.topics().prefix();
      String upload = ingest.context.topics().studiesUpload().name();
      for (PoisonRecords.Poison p :
          PoisonRecords.kinds(ingest.context.topics(), ingest.context.topics().studiesUpload())) {
        keys.add("poison-" + keys.size());
        producer.send(p.on(upload, keys.get(keys.size() - 1))).get();
      }
      for (String uri : List.of("foo:bar", "jar:file:/tmp/a.zip!/x", "http://example.org/x")) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(UploadHeaders.CLAIM_URI, uri.getBytes(StandardCharsets.UTF_8));
        headers.add(UploadHeaders.CLAIM_SHA256, "0".repeat(64).getBytes(StandardCharsets.UTF_8));
        headers.add(UploadHeaders.CLAIM_SIZE, "10".getBytes(StandardCharsets.UTF_8));
        keys.add("claim-" + keys.size());
        producer
            .send(
                new ProducerRecord<>(upload, null, keys.get(keys.size() - 1), new byte[0], headers))
            .get();
      }
      ingest.send(producer, "after-poison", valid.image(), "T2", null, null);
      producer.flush();

      try (TopicReader<String, Study> studies =
              new TopicReader<>(bootstrap, ingest.context.topics().studies());
          TopicReader<String, DeadLetter> deadLetters =
              new TopicReader<>(bootstrap, ingest.context.topics().deadletter())) {
        studies.awaitAtLeast(1, Duration.ofMinutes(1));
        List<ConsumerRecord<String, DeadLetter>> letters =
            deadLetters.awaitAtLeast(keys.size(), Duration.ofMinutes(1));
        assertThat(letters)
            .extracting(ConsumerRecord::key)
            .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(letters)
            .filteredOn(r -> r.key().startsWith("claim-"))
            .allMatch(r -> r.value().getReasonCode().equals("CLAIM_CHECK_INVALID"))
            .allMatch(r -> r.value().getField().equals(UploadHeaders.CLAIM_URI));
        assertThat(letters).allMatch(r -> r.value().getReasonCode() != null);
        assertThat(ingest.service.health().up()).isTrue();
      }
    }

    try (RunningIngest again =
            RunningIngest.start(dataDir, Map.of("ingest.watch.dir", "", "topic.prefix", prefix));
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, again.context.topics().deadletter())) {
      assertThat(again.service.health().up()).isTrue();
      assertThat(deadLetters.readToEnd(Duration.ofSeconds(30)))
          .as("nothing dead-lettered again after the restart")
          .hasSize(keys.size());
    }
  }
}
