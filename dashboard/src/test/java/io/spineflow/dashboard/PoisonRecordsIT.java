package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.DeadLetter;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generic poison kind on every topic the dashboard reads, against the running dashboard on a
 * real broker: one dead letter each with its reason, {@code /health} still 200, the valid record
 * sent afterwards counted, and a restart on the same state dead-letters nothing again.
 */
class PoisonRecordsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void everyPoisonKindIsOneDeadLetterAndTheDashboardCarriesOn() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    List<Topic<String, ?>> inputs = PipelineTraffic.dashboardInputs(topics);
    List<String> expected = new ArrayList<>();
    try (PipelineTraffic traffic = new PipelineTraffic(bootstrap, topics);
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      try (ServiceLauncher launcher = new ServiceLauncher()) {
        String base = DashboardRestartIT.launch(launcher, bootstrap, topics, dataDir);
        for (Topic<String, ?> topic : inputs) {
          for (PoisonRecords.Poison p : PoisonRecords.kinds(topics, topic)) {
            traffic.send(p.on(topic.name(), "poison"));
            expected.add(topic.name() + " " + p.expectedReason());
          }
        }
        traffic.flush();
        await().atMost(WAIT).until(() -> ours(deadLetters.records()).size() >= expected.size());
        assertThat(ours(deadLetters.records()))
            .extracting(d -> d.getOriginalTopic() + " " + d.getReasonCode())
            .containsExactlyInAnyOrderElementsOf(expected);

        Instant now = Instant.now();
        traffic.send(
            topics.deadletter(), "after", Events.deadLetter("AFTER_POISON", "valid", now), now);
        traffic.flush();
        // The dashboard counts its own dead letters too: they are valid events on deadletter.
        long total = expected.size() + 1L;
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  var state = DashboardRestartIT.state(base);
                  return state != null && DashboardRestartIT.deadLetterTotal(state) == total;
                });
        assertThat(health(base)).isEqualTo(200);
      }

      try (ServiceLauncher launcher = new ServiceLauncher()) {
        String base = DashboardRestartIT.launch(launcher, bootstrap, topics, dataDir);
        assertThat(health(base)).isEqualTo(200);
        assertThat(ours(deadLetters.readToEnd(WAIT)))
            .as("nothing dead-lettered again after the restart")
            .hasSize(expected.size());
      }
    }
  }

  /** The dashboard's dead letters (not the test's own poison, such as the tombstone). */
  private static List<DeadLetter> ours(List<ConsumerRecord<String, DeadLetter>> records) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(d -> d != null && d.getStage().equals(DashboardService.NAME))
        .toList();
  }

  private static int health(String base) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
