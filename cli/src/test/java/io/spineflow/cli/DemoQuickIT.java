package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./spineflow demo --quick} end to end, as a separate process: through the topics, every
 * stage of the scenario happened in order: a first model promoted, masks for every slice, a drift
 * alert asking for a retrain, a second model announced and used by later masks.
 */
class DemoQuickIT {
  @TempDir Path dataDir;

  @Test
  void theWholeLoopHappensInOrder() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                target.resolve("spineflow-cli.jar") + ":" + target.resolve("lib") + "/*",
                "io.spineflow.cli.Spineflow",
                "demo",
                "--quick",
                "--data-dir",
                dataDir.toString(),
                "--kafka-port",
                "0",
                "--port",
                "0",
                "--service-ports-from",
                "0")
            .redirectErrorStream(true)
            .start();
    List<String> out = new CopyOnWriteArrayList<>();
    collect(demo, out);
    try {
      // The bound keeps CI well inside its limit: the scenario takes 3-5 minutes on 2 cores.
      await()
          .atMost(Duration.ofMinutes(12))
          .failFast("demo exited: " + out, () -> !demo.isAlive())
          .until(() -> out.stream().anyMatch(l -> l.startsWith("scenario complete")));
      String bootstrap =
          out.stream()
              .filter(l -> l.startsWith("Kafka (embedded, KRaft) on "))
              .findFirst()
              .orElseThrow()
              .substring("Kafka (embedded, KRaft) on ".length());
      Topics topics = new Topics("", 3);

      List<ModelAnnouncement> models = readAll(bootstrap, topics.models());
      assertThat(models).extracting(ModelAnnouncement::getVersion).startsWith(1, 2);
      assertThat(readAll(bootstrap, topics.retrain()))
          .extracting(RetrainRequest::getOrigin)
          .contains(RetrainOrigin.DRIFT_ALERT);

      try (TopicReader<String, Slice> slices = new TopicReader<>(bootstrap, topics.slices());
          TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks())) {
        Set<String> sliceKeys =
            slices.readToEnd(Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::key)
                .collect(Collectors.toSet());
        await()
            .atMost(Duration.ofMinutes(3))
            .untilAsserted(
                () ->
                    assertThat(
                            masks.records().stream()
                                .map(ConsumerRecord::key)
                                .collect(Collectors.toSet()))
                        .containsAll(sliceKeys));
        List<Mask> all = masks.records().stream().map(ConsumerRecord::value).toList();
        assertThat(all).extracting(Mask::getModelVersion).contains(1).anyMatch(v -> v >= 2);
        Mask firstV2 = all.stream().filter(m -> m.getModelVersion() >= 2).findFirst().orElseThrow();
        Mask firstV1 = all.stream().filter(m -> m.getModelVersion() == 1).findFirst().orElseThrow();
        assertThat(firstV2.getProducedAt()).isAfter(firstV1.getProducedAt());
      }

      new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(String.join("\n", out)).doesNotContain("Exception").doesNotContain("\tat ");
    } finally {
      demo.destroyForcibly();
    }
  }

  private static <V> List<V> readAll(
      String bootstrap, io.spineflow.schemas.Topic<String, V> topic) {
    try (TopicReader<String, V> reader = new TopicReader<>(bootstrap, topic)) {
      return reader.readToEnd(Duration.ofSeconds(30)).stream().map(ConsumerRecord::value).toList();
    }
  }

  private static void collect(Process process, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("<stream closed: " + e.getMessage() + ">");
              }
            });
    reader.setDaemon(true);
    reader.start();
  }
}
