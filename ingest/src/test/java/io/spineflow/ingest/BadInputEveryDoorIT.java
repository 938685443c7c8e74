package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.testkit.TopicReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole bad-input corpus ({@link MalformedStudies}) through each of ingest's three doors: the
 * Kafka topic, HTTP and the watched folder. Every input ends as exactly one dead letter with its
 * expected reason code (HTTP also answers 400 with it; the folder moves the file to failed/), the
 * service stays healthy and keeps accepting valid studies, heap use stays bounded, and neither the
 * patient's name nor any free-text header value reaches the log.
 */
class BadInputEveryDoorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** Names a hospital system may put in a header: they must never reach a log line. */
  private static final String PATIENT = "DOE^JANE";

  private static final String FREE_TEXT = "M\u00fcller";

  @TempDir static Path dataDir;
  private static RunningIngest ingest;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    ingest =
        RunningIngest.start(
            dataDir,
            Map.of(
                "ingest.pairing.timeout",
                "5s",
                "ingest.max.decoded.bytes",
                Long.toString(MalformedStudies.MAX_DECODED_BYTES)));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void everyDoorRefusesEveryBadStudyOnceWithItsReasonAndStaysHealthy() throws Exception {
    List<MalformedStudies.Case> corpus = MalformedStudies.all();
    long heapBefore = usedHeapAfterGc();
    Map<String, String> expected = new HashMap<>();

    try (KafkaProducer<String, byte[]> pacs = ingest.pacsProducer()) {
      for (MalformedStudies.Case bad : corpus) {
        String uid = "bad-kafka-" + bad.name();
        expected.put(uid, bad.reason());
        ingest.send(
            pacs,
            uid,
            bad.image(),
            null,
            bad.mask() == null ? null : "image",
            bad.mask() != null ? "true" : null);
        if (bad.mask() != null) {
          ingest.send(pacs, uid, bad.mask(), null, "mask", null);
        }
      }
      // A refused study that names its patient: the name must not reach the log either.
      byte[] valid = TestVolumes.mha(TestVolumes.image(41));
      ingest.send(
          pacs, "bad-kafka-named", withPatientName(Arrays.copyOf(valid, 500)), null, null, null);
      expected.put("bad-kafka-named", "TRUNCATED_DATA");
      pacs.flush();
    }

    for (MalformedStudies.Case bad : corpus) {
      String uid = "bad-http-" + bad.name();
      expected.put(uid, bad.reason());
      HttpResponse<String> response = post(uid, bad);
      assertThat(response.statusCode()).as("HTTP %s", bad.name()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("reasonCode").asText())
          .as("HTTP %s", bad.name())
          .isEqualTo(bad.reason());
    }

    Path inbox = ingest.config.watchDir();
    for (MalformedStudies.Case bad : corpus) {
      String uid = "bad-folder-" + bad.name();
      expected.put(uid, bad.folderReason());
      if (bad.mask() != null) {
        RunningIngest.drop(inbox, uid + ".mask.mha", bad.mask());
      }
      RunningIngest.drop(inbox, uid + (bad.mhd() ? ".mhd" : ".mha"), bad.image());
    }

    Map<String, List<DeadLetter>> letters;
    try (TopicReader<String, DeadLetter> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().deadletter())) {
      reader.awaitAtLeast(expected.size(), WAIT);
      letters =
          reader.readToEnd(WAIT).stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.groupingBy(DeadLetter::getStudyUid));
    }
    assertThat(letters).as("a dead letter for every bad input").containsOnlyKeys(expected.keySet());
    expected.forEach(
        (uid, reason) -> {
          assertThat(letters.get(uid)).as("dead letters of %s", uid).hasSize(1);
          DeadLetter letter = letters.get(uid).get(0);
          assertThat(letter.getReasonCode()).as(uid).isEqualTo(reason);
          assertThat(letter.getField()).as("%s names the field", uid).isNotBlank();
          assertThat(letter.getLimit()).as("%s names the limit", uid).isNotBlank();
          assertThat(letter.getOriginalLocation()).as("%s can be found again", uid).isNotBlank();
        });
    for (MalformedStudies.Case bad : corpus) {
      String file = "bad-folder-" + bad.name() + (bad.mhd() ? ".mhd" : ".mha");
      assertThat(inbox.resolve("failed").resolve(file)).as("kept in failed/").exists();
    }

    assertStillHealthyAndAccepting(inbox);
    // The bombs were refused at their limits, not decoded: the heap is where it was, give or take
    // the service's own working set (the corpus's largest input is 2 MiB).
    assertThat(usedHeapAfterGc() - heapBefore).isLessThan(96L << 20);
    assertThat(LOGS.list).as("log lines").isNotEmpty();
    assertThat(LOGS.list.stream().map(BadInputEveryDoorIT::fullText))
        .noneMatch(text -> text.contains(PATIENT) || text.contains(FREE_TEXT));
  }

  /** After the corpus: /health is 200 and a valid study (named in its header) goes through. */
  private void assertStillHealthyAndAccepting(Path inbox) throws Exception {
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(ingest.uri("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    Image image = TestVolumes.image(42);
    byte[] named = withPatientName(TestVolumes.mha(image));
    try (KafkaProducer<String, byte[]> pacs = ingest.pacsProducer()) {
      ingest.send(pacs, "good-kafka", named, null, null, null);
    }
    HttpResponse<String> accepted =
        http.send(
            ingest
                .authorized("?uid=good-http")
                .header("Content-Type", "application/octet-stream")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(TestVolumes.mha(TestVolumes.image(43))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    RunningIngest.drop(inbox, "good-folder.mha", TestVolumes.mha(TestVolumes.image(44)));
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  reader.records().stream()
                      .map(ConsumerRecord::key)
                      .collect(Collectors.toSet())
                      .containsAll(List.of("good-kafka", "good-http", "good-folder")));
    }
  }

  private static byte[] withPatientName(byte[] mha) {
    String prefix = "PatientName = " + PATIENT + "\n";
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + mha.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(mha, 0, out, head.length, mha.length);
    return out;
  }

  private static String fullText(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append('\n').append(t.getMessage());
    }
    return text.toString();
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private HttpResponse<String> post(String uid, MalformedStudies.Case bad) throws Exception {
    if (bad.mask() == null) {
      return http.send(
          ingest
              .authorized("?uid=" + uid)
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bad.image()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
    MultipartBody body =
        new MultipartBody()
            .field("uid", uid)
            .file("image", uid + ".mha", bad.image())
            .file("mask", uid + ".mask.mha", bad.mask());
    return http.send(
        ingest
            .authorized("")
            .header("Content-Type", body.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
