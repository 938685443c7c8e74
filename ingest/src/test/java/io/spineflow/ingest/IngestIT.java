package io.spineflow.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.LabelExtent;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.testkit.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ingest service on a real broker, fed through all three doors (a Kafka client following
 * the wire contract, HTTP, the watched folder) with phantom studies, duplicates and bad inputs:
 * exactly one {@code studies} event per distinct study and one dead letter per bad input, read back
 * with read_committed.
 */
class IngestIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int HTTP_LIMIT = 1 << 20;

  private static final byte[] FOLDER_SIDECAR =
      "classes: discs\nextent: labelled-span+10mm\n".getBytes(UTF_8);

  @TempDir static Path dataDir;
  private static RunningIngest ingest;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    ingest =
        RunningIngest.start(
            dataDir,
            Map.of(
                "ingest.pairing.timeout", "4s",
                "ingest.study.inline.max.bytes", Integer.toString(64 << 10),
                "ingest.upload.inline.max.bytes", Integer.toString(256 << 10),
                "ingest.http.max.request.bytes", Integer.toString(HTTP_LIMIT)));
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void everyDoorPublishesEachDistinctStudyOnceAndEachBadInputOneDeadLetter() throws Exception {
    RunningIngest.PhantomFiles kafkaT1 = RunningIngest.phantom(Sequence.T1, 11, 0.15);
    RunningIngest.PhantomFiles kafkaSpace = RunningIngest.phantom(Sequence.T2_SPACE, 12, 0.15);
    RunningIngest.PhantomFiles httpT2 = RunningIngest.phantom(Sequence.T2, 13, 0.15);
    RunningIngest.PhantomFiles httpPair = RunningIngest.phantom(Sequence.T1, 14, 0.15);
    RunningIngest.PhantomFiles anonymous = RunningIngest.phantom(Sequence.T2, 15, 0.15);
    RunningIngest.PhantomFiles large = RunningIngest.phantom(Sequence.T2, 16, 0.5);
    RunningIngest.PhantomFiles folderT1 = RunningIngest.phantom(Sequence.T1, 17, 0.15);
    assertThat(large.study().image().voxelCount() * 2)
        .as("the large study is above the inline limit")
        .isGreaterThan(64 << 10);

    // Door 1: a Kafka client following the wire contract.
    try (KafkaProducer<String, byte[]> pacs = ingest.pacsProducer()) {
      pacs.send(discsOnly("kafka-t1", kafkaT1.image())); // with a label declaration
      ingest.send(pacs, "kafka-t1", kafkaT1.mask(), null, "mask", null);
      ingest.send(pacs, "kafka-space", kafkaSpace.image(), "T2_SPACE", null, null);
      ingest.send(pacs, "kafka-space", kafkaSpace.image(), "T2_SPACE", null, null); // duplicate
      ingest.send(pacs, "kafka-bomb", headerBomb(), null, null, null);
      ingest.send(pacs, "kafka-lonely", kafkaT1.image(), "T1", "image", "true"); // no mask follows
      pacs.flush();
    }

    // Door 2: HTTP.
    HttpResponse<String> raw = postRaw("?uid=http-t2&sequence=T2&name=scan_t2.mha", httpT2.image());
    assertThat(raw.statusCode()).isEqualTo(202);
    assertThat(json(raw).get("studyUid").asText()).isEqualTo("http-t2");
    assertThat(json(raw).get("contentSha256").asText())
        .isEqualTo(ContentHash.of(httpT2.image(), null));
    assertThat(postRaw("?uid=http-t2&sequence=T2&name=scan_t2.mha", httpT2.image()).statusCode())
        .as("a re-sent duplicate is accepted at the door")
        .isEqualTo(202);
    MultipartBody pair =
        new MultipartBody()
            .field("uid", "http-pair")
            .field("sequence", "T1")
            .field("labelClasses", "vertebral-bodies")
            .field("labelExtent", "whole-image")
            .file("image", "pair.mha", httpPair.image())
            .file("mask", "pair.mask.mha", httpPair.mask());
    assertThat(postMultipart(pair).statusCode()).isEqualTo(202);
    HttpResponse<String> unnamed = postRaw("", anonymous.image());
    assertThat(unnamed.statusCode()).isEqualTo(202);
    String derivedUid = json(unnamed).get("studyUid").asText();
    assertThat(derivedUid).isEqualTo(StudyUids.derive(ContentHash.of(anonymous.image(), null)));

    HttpResponse<String> undeclarable =
        postRaw("?uid=http-declared&labelClasses=ribs", httpT2.image());
    assertThat(undeclarable.statusCode()).isEqualTo(400);
    assertThat(json(undeclarable).get("reasonCode").asText())
        .isEqualTo("INVALID_LABEL_DECLARATION");
    assertThat(json(undeclarable).get("field").asText()).isEqualTo("labelClasses");

    byte[] truncated = Arrays.copyOf(httpT2.image(), httpT2.image().length - 1000);
    HttpResponse<String> bad = postRaw("?uid=http-bad", truncated);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("reasonCode").asText()).isEqualTo("TRUNCATED_DATA");
    assertThat(json(bad).get("limit").asText()).contains("DimSize");
    assertThat(json(bad).has("field")).isTrue();
    MultipartBody mismatch =
        new MultipartBody()
            .field("uid", "http-mismatch")
            .file("image", "a.mha", httpPair.image())
            .file("mask", "b.mask.mha", kafkaT1.mask());
    HttpResponse<String> mismatched = postMultipart(mismatch);
    assertThat(mismatched.statusCode()).isEqualTo(400);
    assertThat(json(mismatched).get("reasonCode").asText()).isEqualTo("GEOMETRY_MISMATCH");
    assertThat(json(mismatched).get("part").asText()).isEqualTo("mask");

    MultipartBody big =
        new MultipartBody()
            .field("uid", "http-large")
            .file("image", "big_t2.mha", large.image())
            .file("mask", "big_t2.mask.mha", large.mask());
    assertThat(big.bytes().length).isLessThan(HTTP_LIMIT);
    assertThat(postMultipart(big).statusCode()).isEqualTo(202);

    // Door 3: the watched folder (written under a temporary name, then renamed).
    Path inbox = ingest.config.watchDir();
    RunningIngest.drop(inbox, "folder-t1_t1.labels", FOLDER_SIDECAR);
    RunningIngest.drop(inbox, "folder-t1_t1.mha", folderT1.image());
    RunningIngest.drop(inbox, "folder-t1_t1.mask.mha", folderT1.mask());
    RunningIngest.drop(inbox, "folder-broken.mha", truncated);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Files.exists(inbox.resolve("done/folder-t1_t1.mha"))
                    && Files.exists(inbox.resolve("failed/folder-broken.reason.txt")));
    assertThat(inbox.resolve("done/folder-t1_t1.mask.mha")).exists();
    assertThat(inbox.resolve("done/folder-t1_t1.labels")).exists();
    assertThat(Files.readString(inbox.resolve("failed/folder-broken.reason.txt")))
        .contains("reasonCode: TRUNCATED_DATA");
    RunningIngest.drop(inbox, "folder-t1_t1.labels", FOLDER_SIDECAR); // the same study again
    RunningIngest.drop(inbox, "folder-t1_t1.mha", folderT1.image());
    RunningIngest.drop(inbox, "folder-t1_t1.mask.mha", folderT1.mask());

    Map<String, StudySource> expectedStudies =
        Map.of(
            "kafka-t1",
            StudySource.TOPIC,
            "kafka-space",
            StudySource.TOPIC,
            "http-t2",
            StudySource.HTTP,
            "http-pair",
            StudySource.HTTP,
            derivedUid,
            StudySource.HTTP,
            "http-large",
            StudySource.HTTP,
            "folder-t1_t1",
            StudySource.FOLDER);
    // Every duplicate processed (and dropped) ...
    await().atMost(WAIT).until(() -> ingest.counter("spineflow.ingest.duplicates") >= 3);
    // ... then one sentinel per partition, so every earlier output is committed once it shows.
    List<String> sentinels = sentinelKeys();
    try (KafkaProducer<String, byte[]> pacs = ingest.pacsProducer()) {
      for (String key : sentinels) {
        ingest.send(pacs, key, TestVolumes.mha(TestVolumes.image(99)), null, null, null);
      }
      pacs.flush();
    }

    List<Study> studies;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      reader.awaitAtLeast(expectedStudies.size() + sentinels.size(), WAIT);
      studies = reader.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
    }
    Map<String, Long> perUid =
        studies.stream().collect(Collectors.groupingBy(Study::getStudyUid, Collectors.counting()));
    assertThat(perUid.keySet())
        .containsExactlyInAnyOrderElementsOf(
            concat(expectedStudies.keySet().stream().toList(), sentinels));
    assertThat(perUid.values()).as("exactly one event per distinct study").containsOnly(1L);
    Map<String, Study> byUid =
        studies.stream().collect(Collectors.toMap(Study::getStudyUid, Function.identity()));
    expectedStudies.forEach(
        (uid, source) -> assertThat(byUid.get(uid).getSource()).as(uid).isEqualTo(source));
    assertThat(byUid.get("kafka-t1").getSequence()).isEqualTo(io.spineflow.events.Sequence.T1);
    assertThat(byUid.get("kafka-t1").getLabel()).isNotNull();
    assertThat(byUid.get("kafka-space").getSequence())
        .isEqualTo(io.spineflow.events.Sequence.T2_SPACE);
    assertThat(byUid.get("http-t2").getSourceName()).isEqualTo("scan_t2.mha");
    assertThat(byUid.get("http-pair").getLabel()).isNotNull();
    assertThat(byUid.get("folder-t1_t1").getSequence()).isEqualTo(io.spineflow.events.Sequence.T1);
    assertThat(byUid.get("folder-t1_t1").getContentSha256())
        .isEqualTo(ContentHash.of(folderT1.image(), folderT1.mask()));
    assertThat(byUid.get("http-t2").getImage().getVoxels()).isInstanceOf(InlineVoxels.class);
    // Each door carried its label declaration; studies without one are complete (null).
    assertThat(byUid.get("kafka-t1").getLabelCoverage().getClasses())
        .containsExactly(LabelledClass.DISCS);
    assertThat(byUid.get("kafka-t1").getLabelCoverage().getExtent())
        .isEqualTo(LabelExtent.LABELLED_SPAN);
    assertThat(byUid.get("http-pair").getLabelCoverage().getClasses())
        .containsExactly(LabelledClass.VERTEBRAL_BODIES);
    assertThat(byUid.get("http-pair").getLabelCoverage().getExtent())
        .isEqualTo(LabelExtent.WHOLE_IMAGE);
    assertThat(byUid.get("folder-t1_t1").getLabelCoverage().getClasses())
        .containsExactly(LabelledClass.DISCS);
    assertThat(byUid.get("folder-t1_t1").getLabelCoverage().getExtentMarginMm()).isEqualTo(10.0);
    assertThat(byUid.get("http-large").getLabelCoverage()).isNull();

    // The large study arrived by claim check (upload and event) and has the same voxels.
    Study bigStudy = byUid.get("http-large");
    assertThat(bigStudy.getImage().getVoxels()).isInstanceOf(ClaimCheck.class);
    VolumeMapper volumes = new VolumeMapper(new ClaimCheckStore(ingest.config.claimsDir()), 0);
    Image image = volumes.toImage(bigStudy.getImage());
    Image label = volumes.toImage(bigStudy.getLabel());
    assertThat(image.data()).isEqualTo(large.study().image().data());
    assertThat(label.data()).isEqualTo(large.study().mask().data());
    // Float precision until avro.version is 1.12.1 (AVRO-4108).
    assertThat(image.geometry().sameGrid(large.study().image().geometry(), 1e-4)).isTrue();

    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studiesUpload())) {
      List<ConsumerRecord<String, byte[]>> largeParts =
          reader.readToEnd(WAIT).stream().filter(r -> r.key().equals("http-large")).toList();
      assertThat(largeParts).hasSize(2);
      ConsumerRecord<String, byte[]> largeImage = largeParts.get(0);
      assertThat(new String(largeImage.headers().lastHeader(UploadHeaders.PART).value(), UTF_8))
          .isEqualTo("image");
      assertThat(largeImage.value())
          .as("an image above the upload limit travels as a claim check")
          .isEmpty();
      assertThat(largeImage.headers().lastHeader(UploadHeaders.CLAIM_URI)).isNotNull();
    }

    List<ConsumerRecord<String, DeadLetter>> letters;
    try (TopicReader<String, DeadLetter> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().deadletter())) {
      reader.awaitAtLeast(6, WAIT);
      letters = reader.readToEnd(WAIT);
    }
    assertThat(letters)
        .extracting(r -> r.value().getStudyUid(), r -> r.value().getReasonCode())
        .as("one dead letter per bad input")
        .containsExactlyInAnyOrder(
            tuple("kafka-bomb", "TOO_MANY_VOXELS"),
            tuple("kafka-lonely", "MASK_MISSING"),
            tuple("http-bad", "TRUNCATED_DATA"),
            tuple("http-declared", "INVALID_LABEL_DECLARATION"),
            tuple("http-mismatch", "GEOMETRY_MISMATCH"),
            tuple("folder-broken", "TRUNCATED_DATA"));
    Map<String, DeadLetter> letterByUid =
        letters.stream()
            .collect(Collectors.toMap(r -> r.value().getStudyUid(), ConsumerRecord::value));
    assertThat(letterByUid.get("kafka-bomb").getOriginalLocation())
        .startsWith(ingest.context.topics().studiesUpload().name() + "/");
    Path quarantined = Path.of(letterByUid.get("http-bad").getOriginalLocation());
    assertThat(Files.readAllBytes(quarantined)).as("nothing is lost").isEqualTo(truncated);
    assertThat(letterByUid.get("folder-broken").getOriginalLocation())
        .isEqualTo(inbox.resolve("failed/folder-broken.mha").toString());
    assertThat(ingest.counter("spineflow.ingest.duplicates")).isEqualTo(3);
  }

  /** The image part of a study whose mask labels the discs only, over their span. */
  private static ProducerRecord<String, byte[]> discsOnly(String key, byte[] image) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(UploadHeaders.SEQUENCE, "T1".getBytes(UTF_8));
    headers.add(UploadHeaders.PART, "image".getBytes(UTF_8));
    headers.add(UploadHeaders.EXPECT_MASK, "true".getBytes(UTF_8));
    headers.add(UploadHeaders.LABEL_CLASSES, "discs".getBytes(UTF_8));
    headers.add(UploadHeaders.LABEL_EXTENT, "labelled-span".getBytes(UTF_8));
    return new ProducerRecord<>(
        ingest.context.topics().studiesUpload().name(), null, key, image, headers);
  }

  @Test
  void theHttpDoorRefusesWithoutTheTokenAndAboveTheSizeLimit() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(ingest.uri("/studies?uid=x"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(ingest.uri("/studies?uid=x"))
                .header("Authorization", "Bearer " + RunningIngest.TOKEN + "-not")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("reasonCode").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(wrong.body()).doesNotContain(RunningIngest.TOKEN);

    // The declared length alone decides: the body is never sent, let alone read.
    try (Socket socket = new Socket("127.0.0.1", ingest.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /studies?uid=huge HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + RunningIngest.TOKEN
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                  + (10L << 30)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(statusLine).isEqualTo("HTTP/1.1 413");
    }
    // A chunked body without a declared length is cut off at the limit.
    HttpResponse<String> chunked =
        http.send(
            ingest
                .authorized("?uid=chunked")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[HTTP_LIMIT + 1])))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(json(chunked).get("reasonCode").asText()).isEqualTo("REQUEST_TOO_LARGE");

    HttpResponse<String> get =
        http.send(ingest.authorized("").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    HttpResponse<String> text =
        http.send(
            ingest
                .authorized("?uid=t")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(415);

    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(ingest.uri("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("details").get("streams").asText()).isEqualTo("RUNNING");
    assertThat(json(health).get("details").get("folder").asText()).isEqualTo("watching");
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(ingest.uri("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("spineflow_ingest_studies_rejected_total{door=\"http\",reason=\"UNAUTHORIZED\"")
        .contains(
            "spineflow_ingest_studies_rejected_total{door=\"http\",reason=\"REQUEST_TOO_LARGE\"")
        .contains("kafka_stream_");
  }

  /** One study key per partition of studies.upload (as the default partitioner places keys). */
  private static List<String> sentinelKeys() {
    int partitions = ingest.context.topics().studiesUpload().settings().partitions();
    String[] keys = new String[partitions];
    for (int i = 0; keys.length > 0 && Arrays.stream(keys).anyMatch(k -> k == null); i++) {
      String key = "sentinel-" + i;
      int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (keys[p] == null) {
        keys[p] = key;
      }
    }
    return List.of(keys);
  }

  private static byte[] headerBomb() {
    return ("ObjectType = Image\nNDims = 3\nDimSize = 200000 200000 200000\n"
            + "ElementType = MET_USHORT\nElementDataFile = LOCAL\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private HttpResponse<String> postRaw(String query, byte[] body) throws Exception {
    return http.send(
        ingest
            .authorized(query)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postMultipart(MultipartBody body) throws Exception {
    return http.send(
        ingest
            .authorized("")
            .header("Content-Type", body.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
