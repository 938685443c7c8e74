package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.events.Mask;
import io.spineflow.events.SliceSummary;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency: while phantom studies stream, every service in turn (ingest, preprocess,
 * inference, results, trainer, dashboard) runs in its own JVM, gets a real {@code SIGKILL}
 * mid-stream and is started again on the same data directory; then the broker itself restarts.
 * Afterwards the committed outputs are counted: every study exactly one {@code studies} event and
 * exactly the slices its summary lists, every slice exactly one mask and one quality record, every
 * study exactly one {@code segmentations} event, nothing valid in {@code deadletter}, and the
 * dashboard's rebuilt throughput equal to the masks.
 *
 * <p>The feeder also sends some studies twice (a PACS retrying after a timeout): ingest's
 * de-duplication must still give one study each.
 */
class CrashConsistencyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STUDIES = 16;
  private static final int RESENT = 3;
  private static final int SLICE_SIZE = 64;
  private static final String TOKEN = "crash-test-ingest-token";
  private static final String VIEWER_TOKEN = "crash-test-viewer-token";
  private static final Duration RECOVERY = Duration.ofMinutes(2);
  private static final List<String> ORDER =
      List.of("ingest", "preprocess", "inference", "results", "trainer", "dashboard");

  @TempDir Path dir;

  private EmbeddedKafkaBroker broker;
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
  private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopEverything() {
    feeder.shutdownNow();
    services.values().forEach(ServiceProcess::close);
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void killingEachServiceAndRestartingTheBrokerLosesAndDuplicatesNothing() throws Exception {
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of());
    String bootstrap = broker.bootstrapServers();
    Topics topics = new Topics("", 3);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (Admin admin = Admin.create(clients.admin())) {
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
    }
    startServices(bootstrap);
    PipelineRun.announceTinyModel(
        new ModelStore(dir.resolve("models")), clients, topics, SLICE_SIZE);

    List<String> sentUids = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> feederFailure = new AtomicReference<>();
    startFeeding(clients, topics, sentUids, feederFailure);

    List<String> faults = new ArrayList<>();
    try (TopicReader<String, SliceSummary> summaries =
            new TopicReader<>(bootstrap, topics.slicesSummary());
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks())) {
      int progress = 1;
      for (String name : ORDER) {
        int needed = progress++;
        // Kill only once the pipeline is visibly working, and while studies are still arriving.
        await()
            .atMost(RECOVERY)
            .until(() -> summaries.records().size() >= needed && !masks.records().isEmpty());
        ServiceProcess victim = services.get(name);
        faults.add(
            "SIGKILL %s (sent %d/%d studies, %d summaries, %d masks)"
                .formatted(
                    name,
                    sentUids.size(),
                    STUDIES + RESENT,
                    summaries.records().size(),
                    masks.records().size()));
        victim.kill();
        assertThat(victim.isAlive()).isFalse();
        victim.restart();
        awaitHealthy(victim);
      }
    }
    faults.add("broker restart (sent %d/%d studies)".formatted(sentUids.size(), STUDIES + RESENT));
    broker = broker.restart();
    services.values().forEach(CrashConsistencyIT::awaitHealthy);

    await()
        .atMost(Duration.ofMinutes(3))
        .failFast("feeder failed: " + feederFailure.get(), () -> feederFailure.get() != null)
        .until(() -> sentUids.size() == STUDIES + RESENT);
    Set<String> studyUids = new TreeSet<>(sentUids);
    assertThat(studyUids).hasSize(STUDIES);

    PipelineRun.Counts counts =
        PipelineRun.awaitExactlyOnce(bootstrap, topics, studyUids, Duration.ofMinutes(3));
    assertDashboardCountedEveryMaskOnce(counts.masks());
    int segmentations =
        PipelineRun.awaitOneSegmentationPerStudy(
            bootstrap, topics, studyUids, Duration.ofMinutes(3));
    System.out.printf(
        "crash consistency: %d faults (%s); checked %d studies, %d slices, %d masks, %d quality"
            + " records, %d segmentations, %d dead letters%n",
        faults.size(),
        String.join("; ", faults),
        counts.studies(),
        counts.slices(),
        counts.masks(),
        counts.quality(),
        segmentations,
        counts.deadLetters());
  }

  private void startServices(String bootstrap) throws IOException {
    Path claims = dir.resolve("claims");
    Path models = dir.resolve("models");
    // Kafka's default session timeout (45 s) is how long a SIGKILLed Streams member holds its
    // partitions; the broker's minimum keeps this test short.
    Path kafkaProperties = dir.resolve("kafka.properties");
    Files.writeString(kafkaProperties, "session.timeout.ms=6000\nheartbeat.interval.ms=1500\n");
    List<String> common =
        List.of(
            "--bootstrap-servers=" + bootstrap,
            "--kafka-properties=" + kafkaProperties,
            "--startup-timeout=60s");
    String size = Integer.toString(SLICE_SIZE);
    Map<String, List<String>> own = new HashMap<>();
    own.put(
        "ingest",
        List.of("--ingest-token=" + TOKEN, "--ingest-claims-dir=" + claims, "--ingest-watch-dir="));
    own.put(
        "preprocess",
        List.of(
            "--preprocess-claim-check-dir=" + claims,
            "--preprocess-slice-width=" + size,
            "--preprocess-slice-height=" + size));
    own.put("inference", List.of("--model-store=" + models, "--inference-threads=1"));
    own.put(
        "trainer",
        List.of(
            "--model-store=" + models,
            "--trainer-slice-width=" + size,
            "--trainer-slice-height=" + size,
            // The trainer's part here is to keep consuming across kills, not to train.
            "--trainer-min-studies=1000",
            "--trainer-trigger-new-studies=0"));
    own.put("results", List.of("--results-output-dir=" + claims));
    own.put("dashboard", List.of("--dashboard-viewer-token=" + VIEWER_TOKEN));
    for (String name : ORDER) {
      List<String> args = new ArrayList<>(common);
      args.add("--data-dir=" + dir.resolve("state").resolve(name));
      args.addAll(own.get(name));
      services.put(
          name,
          ServiceProcess.start(
              PackagedLauncher.classpath(),
              name,
              PackagedLauncher.freePort(),
              List.of("-Xmx384m", "-XX:+UseSerialGC"),
              args,
              dir.resolve("logs").resolve(name + ".log")));
    }
    services.values().forEach(CrashConsistencyIT::awaitHealthy);
  }

  /**
   * Pushes the studies one after another through the Kafka door (half of them labelled), then the
   * first {@link #RESENT} again; a push blocks while the broker is down and resumes after.
   */
  private void startFeeding(
      KafkaClients clients,
      Topics topics,
      List<String> sentUids,
      AtomicReference<Throwable> failure)
      throws IOException {
    List<List<Path>> uploads =
        new ArrayList<>(PipelineRun.phantomUploads(dir.resolve("studies"), STUDIES, 100));
    for (int i = 0; i < RESENT; i++) {
      uploads.add(uploads.get(i));
    }
    StudyPusher pusher = new StudyPusher(clients, topics);
    int[] next = {0};
    feeder.scheduleWithFixedDelay(
        () -> {
          if (next[0] >= uploads.size()) {
            pusher.close();
            feeder.shutdown(); // ends the schedule
            return;
          }
          try {
            sentUids.add(pusher.push(uploads.get(next[0]++)).get(0).studyUid());
          } catch (IOException | RuntimeException e) {
            failure.set(e);
            throw new IllegalStateException(e);
          }
        },
        0,
        3,
        TimeUnit.SECONDS);
  }

  /** The dashboard, killed and restarted, counts each mask once in its rebuilt throughput. */
  private void assertDashboardCountedEveryMaskOnce(int masks) {
    HttpClient http = HttpClient.newHttpClient();
    URI state =
        URI.create(
            "http://127.0.0.1:" + services.get("dashboard").httpPort() + "/api/state?minutes=60");
    Function<JsonNode, Long> counted =
        page -> {
          long sum = 0;
          for (JsonNode point : page.path("throughput")) {
            sum += point.path("count").asLong();
          }
          return sum;
        };
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(state)
                          .header("Authorization", "Bearer " + VIEWER_TOKEN)
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(counted.apply(JSON.readTree(response.body()))).isEqualTo(masks);
            });
  }

  private static void awaitHealthy(ServiceProcess service) {
    PipelineRun.awaitHealthy(service, RECOVERY);
  }
}
