package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.StudyResults;
import io.spineflow.testkit.TestTopics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two dashboard instances of one application id on the embedded broker, over HTTPS with one shared
 * certificate (as one Kubernetes Secret mounted into every replica) and one viewer token. Kafka
 * Streams splits the partitions between them, so each holds only part of the stores; yet each
 * answers {@code /api/state}, the page and every gallery image completely and identically, fetching
 * the other's partitions over HTTPS with the viewer token (the internal route refuses anything
 * else); so does every study page ({@code /api/studies/UID}, studies on both partitions) and its
 * label volume download. After one instance stops, the other answers the same page alone once it
 * has taken the partitions over (bounded wait).
 */
class DashboardHaIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String VIEWER = "ha-test-viewer-token";
  private static final String OPERATOR = "ha-test-operator-token";

  @TempDir Path dir;

  @Test
  void everyInstanceAnswersEverythingAndTheSurvivorAloneAfterAStop() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    SelfSignedCertificate.Pair pair =
        SelfSignedCertificate.generate(
            "spineflow ha test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    Path cert = dir.resolve("tls/cert.pem");
    Tls.writePem(pair, cert, dir.resolve("tls/key.pem"));
    HttpClient http = HttpClient.newBuilder().sslContext(Tls.trusting(cert)).build();

    try (ServiceLauncher first = new ServiceLauncher();
        ServiceLauncher second = new ServiceLauncher();
        PipelineTraffic traffic = new PipelineTraffic(bootstrap, topics)) {
      DashboardService a = launch(first, bootstrap, topics, "a");
      DashboardService b = launch(second, bootstrap, topics, "b");
      String baseA = "https://localhost:" + first.lastPort();
      String baseB = "https://localhost:" + second.lastPort();

      // Both in the group with their partitions before anything is sent: slices are read from the
      // latest offset by a new group, so a slice sent during the first rebalance would be missed.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  !a.activeTasks().isEmpty()
                      && !b.activeTasks().isEmpty()
                      && a.health().state().equals("RUNNING")
                      && b.health().state().equals("RUNNING"));
      traffic.story(Instant.now(), StandInSegmenter.onPhantoms(), 8, 2);
      Map<String, StudyResults.Built> results = publishResults(topics, traffic);
      String[] seen = new String[1];
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Map<String, Object> stateA = state(http, baseA);
                Map<String, Object> stateB = state(http, baseB);
                if (stateA == null || stateB == null || !complete(stateA, traffic)) {
                  return false;
                }
                seen[0] = pageData(stateA);
                return seen[0].equals(pageData(stateB));
              });
      // Each instance holds only a part: the answers above were put together across instances.
      Set<String> tasksA = a.activeTasks();
      Set<String> tasksB = b.activeTasks();
      assertThat(tasksA).isNotEmpty();
      assertThat(tasksB).isNotEmpty();
      Set<String> both = new HashSet<>(tasksA);
      both.retainAll(tasksB);
      assertThat(both).as("tasks active on both instances").isEmpty();

      // Every gallery image from either instance, wherever its partition lives.
      List<?> gallery = (List<?>) state(http, baseA).get("gallery");
      assertThat(gallery).hasSize(12);
      for (Object item : gallery) {
        String url = (String) ((Map<?, ?>) item).get("predictionUrl");
        byte[] fromA = png(http, baseA + url);
        assertThat(png(http, baseB + url)).isEqualTo(fromA);
      }
      // Every study page and download from either instance, whichever partition holds it.
      for (StudyResults.Built result : results.values()) {
        String api = "/api/studies/" + result.event().getStudyUid();
        HttpResponse<String> fromA = get(http, baseA + api, "Bearer " + VIEWER);
        assertThat(fromA.statusCode()).as(api).isEqualTo(200);
        assertThat(get(http, baseB + api, "Bearer " + VIEWER).body()).isEqualTo(fromA.body());
        assertThat(Json.readPageMap(fromA.body()).get("studyUid"))
            .isEqualTo(result.event().getStudyUid());
        HttpResponse<byte[]> labels =
            http.send(
                HttpRequest.newBuilder(URI.create(baseB + api + "/labels.mha"))
                    .header("Authorization", "Bearer " + VIEWER)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(labels.statusCode()).isEqualTo(200);
        assertThat(labels.body()).isEqualTo(result.labelMha());
      }

      // The page itself from both.
      assertThat(get(http, baseB + "/", "Bearer " + VIEWER).body())
          .isEqualTo(get(http, baseA + "/", "Bearer " + VIEWER).body());

      // The internal route opens with the viewer token only.
      String internal = baseA + PeerClient.PATH + "?store=models-live&partitions=0";
      assertThat(get(http, internal, null).statusCode()).isEqualTo(401);
      assertThat(get(http, internal, "Bearer " + OPERATOR).statusCode()).isEqualTo(401);
      assertThat(get(http, internal, "Bearer " + VIEWER).statusCode()).isIn(200, 503);

      // One instance stops (a scale-down, a node drained): the other answers everything alone.
      second.close();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Map<String, Object> state = state(http, baseA);
                return state != null && pageData(state).equals(seen[0]);
              });
      assertThat(a.activeTasks()).containsAll(tasksB);
      for (Object item : gallery) {
        assertThat(png(http, baseA + ((Map<?, ?>) item).get("predictionUrl"))).isNotEmpty();
      }
    }
  }

  /**
   * Results ({@code segmentations}) of four studies, two on each of the two partitions (the
   * producer's partitioner: murmur2 of the key), their blobs in the instances' shared blob store.
   */
  private Map<String, StudyResults.Built> publishResults(Topics topics, PipelineTraffic traffic)
      throws Exception {
    FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"), 1L << 30);
    Map<String, StudyResults.Built> out = new java.util.TreeMap<>();
    int[] perPartition = new int[2];
    Instant at = Instant.now();
    for (int i = 0; out.size() < 4; i++) {
      String uid = "1.2.826.0.1.3680043.8.498.ha." + i;
      int partition =
          org.apache.kafka.common.utils.Utils.toPositive(
                  org.apache.kafka.common.utils.Utils.murmur2(
                      uid.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              % 2;
      if (perPartition[partition] < 2) {
        perPartition[partition]++;
        StudyResults.Built built = StudyResults.of(uid, 5, blobs, at.plusSeconds(i), 1);
        traffic.send(topics.segmentations(), uid, built.event(), at);
        out.put(uid, built);
      }
    }
    traffic.flush();
    return out;
  }

  /** Launches a dashboard advertising itself at https://localhost:PORT; returns the service. */
  private DashboardService launch(
      ServiceLauncher launcher, String bootstrap, Topics topics, String name) throws Exception {
    int port = freePort();
    Path dataDir = dir.resolve(name);
    ServiceContext context =
        ServiceContext.from(
            DashboardService.NAME,
            Settings.of(
                Map.ofEntries(
                    Map.entry(CommonSettings.BOOTSTRAP_SERVERS.name(), bootstrap),
                    Map.entry(CommonSettings.TOPIC_PREFIX.name(), topics.prefix()),
                    Map.entry(CommonSettings.TOPIC_PARTITIONS.name(), "2"),
                    Map.entry(CommonSettings.DATA_DIR.name(), dataDir.toString()),
                    Map.entry(CommonSettings.STARTUP_TIMEOUT.name(), "60s"),
                    Map.entry(
                        CommonSettings.HTTP_TLS_CERT.name(),
                        dir.resolve("tls/cert.pem").toString()),
                    Map.entry(
                        CommonSettings.HTTP_TLS_KEY.name(), dir.resolve("tls/key.pem").toString()),
                    Map.entry(DashboardSettings.VIEWER_TOKEN.name(), VIEWER),
                    Map.entry(DashboardSettings.OPERATOR_TOKEN.name(), OPERATOR),
                    Map.entry(DashboardSettings.BLOBS_DIR.name(), dir.resolve("blobs").toString()),
                    Map.entry(DashboardSettings.ADVERTISED_URL.name(), "https://localhost:" + port),
                    // The story is published in one burst spanning 45 minutes of event time.
                    Map.entry(DashboardSettings.GRACE.name(), "1h"))));
    ServiceLauncher.prepareKafka(context, DashboardService.ownedTopics(topics));
    return launcher.launch(
        context, DashboardService.create(context), port, DashboardService::routes);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Everything the story sent is counted (the same checks as the browser test's). */
  private static boolean complete(Map<String, Object> state, PipelineTraffic traffic) {
    return DashboardBrowserIT.countAll(state) == traffic.quality().size()
        && DashboardBrowserIT.throughputCount(state) == traffic.slices()
        && ((List<?>) state.get("gallery")).size() == 12
        && ((List<?>) state.get("studies")).size() == 4
        && DashboardRestartIT.deadLetterTotal(state) == 4
        && ((List<?>) ((Map<?, ?>) state.get("models")).get("timeline")).size() == 7;
  }

  /** What both instances must agree on: everything but the clock. */
  private static String pageData(Map<String, Object> state) {
    return String.valueOf(
        List.of(
            state.get("quality"),
            state.get("throughput"),
            state.get("models"),
            state.get("deadLetters"),
            state.get("drift"),
            state.get("gallery"),
            state.get("studies"),
            state.get("retrain")));
  }

  private static Map<String, Object> state(HttpClient http, String base) throws Exception {
    HttpResponse<String> response = get(http, base + "/api/state?minutes=60", "Bearer " + VIEWER);
    return response.statusCode() == 200 ? Json.readPageMap(response.body()) : null;
  }

  private static byte[] png(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + VIEWER)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
    return response.body();
  }

  private static HttpResponse<String> get(HttpClient http, String url, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
