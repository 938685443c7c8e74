package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    try (DemoProcess demo =
        DemoProcess.start(
            "--quick",
            "--data-dir",
            dataDir.toString(),
            "--kafka-port",
            "0",
            "--port",
            "0",
            "--service-ports-from",
            "0")) {
      // The bound keeps CI well inside its limit: the scenario takes 1-5 minutes on 2 cores.
      demo.awaitLine(l -> l.startsWith("scenario complete"), Duration.ofMinutes(12));
      // Study results flow as well, and the console says where to take them.
      demo.awaitLine(
          l -> l.contains(": result ready: ") && l.contains("./spineflow export "),
          Duration.ofMinutes(3));
      String bootstrap = demo.bootstrapServers();
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
        masks.awaitKeys(sliceKeys, Duration.ofMinutes(3));
        // "scenario complete" means the retrained model was announced, not that a mask came from
        // it: under CPU load inference may still be loading it while the last slices go through
        // v1. So wait (bounded) for what is asserted: inference serving v2 or later, then a mask
        // from it (one more study dropped into the inbox if every slice was done before).
        int inference = demo.servicePorts().get("inference");
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> liveVersion(demo.https(), inference) >= 2);
        if (masks.records().stream().noneMatch(r -> r.value().getModelVersion() >= 2)) {
          dropStudy(dataDir.resolve("inbox"), "after-the-swap");
        }
        await()
            .atMost(Duration.ofMinutes(5))
            .until(() -> masks.records().stream().anyMatch(r -> r.value().getModelVersion() >= 2));
        List<Mask> all = masks.records().stream().map(ConsumerRecord::value).toList();
        assertThat(all).extracting(Mask::getModelVersion).contains(1).anyMatch(v -> v >= 2);
        Mask firstV2 = all.stream().filter(m -> m.getModelVersion() >= 2).findFirst().orElseThrow();
        Mask firstV1 = all.stream().filter(m -> m.getModelVersion() == 1).findFirst().orElseThrow();
        assertThat(firstV2.getProducedAt()).isAfter(firstV1.getProducedAt());
      }

      GrafanaQueries.assertEveryMetricIsServed(demo.servicePorts(), demo.https());

      assertThat(demo.interrupt(Duration.ofSeconds(90))).isEqualTo(130);
      assertThat(String.join("\n", demo.lines()))
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }

  /** The version inference serves, from its {@code /health} ({@code liveVersion}), or -1. */
  static int liveVersion(HttpClient https, int port) throws Exception {
    // No catch: a refused or failed request (wrong scheme, certificate) fails the test at once
    // instead of looking like "not swapped yet" until the wait times out.
    String body =
        https
            .send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("\"liveVersion\"\\s*:\\s*(-?\\d+)").matcher(body);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** A small unlabelled phantom study moved (whole, atomically) into the watched folder. */
  static void dropStudy(Path inbox, String name) throws Exception {
    Path staging = Files.createDirectories(inbox.resolveSibling("staging-" + name));
    PhantomStudy study =
        new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, 4242).withSizeScale(0.5));
    Path file = staging.resolve(name + ".mha");
    MetaImageWriter.write(study.image(), file, MetaImageWriter.Compression.NONE);
    Files.createDirectories(inbox);
    Files.move(file, inbox.resolve(name + ".mha"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static <V> List<V> readAll(
      String bootstrap, io.spineflow.schemas.Topic<String, V> topic) {
    try (TopicReader<String, V> reader = new TopicReader<>(bootstrap, topic)) {
      return reader.readToEnd(Duration.ofSeconds(30)).stream().map(ConsumerRecord::value).toList();
    }
  }
}
