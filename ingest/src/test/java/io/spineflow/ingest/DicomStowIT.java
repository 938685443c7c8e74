package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.testkit.StowRsRequest;
import io.spineflow.testkit.TopicReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * DICOMweb STOW-RS into the real ingest service on a real broker: the JDK HTTP client stores a real
 * multi-slice sagittal MR series (dcm_qa, 8 slices) and a CT image; exactly one {@code studies}
 * event appears for the series, with the geometry of its positions and the voxels the DICOM reader
 * decodes; the CT image is one dead letter; sending the series again changes nothing.
 */
class DicomStowIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dataDir;
  private static RunningIngest ingest;
  private final HttpClient http = HttpClient.newHttpClient();

  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    ingest = RunningIngest.start(dataDir, Map.of("ingest.dicom.series.quiet", "3s"));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void aSeriesSentByStowRsIsOneStudyAndABadInstanceOneDeadLetter() throws Exception {
    // The series with a patient name, ID and birth date to look for in logs and events.
    List<byte[]> series = new ArrayList<>();
    for (byte[] file : VendoredDicom.sagittal(1, 2, 3, 4, 5, 6, 7, 8)) {
      series.add(VendoredDicom.withPatient(file));
    }
    assertThat(
            new DicomReader()
                .readFile(series.get(0))
                .dataset()
                .string(io.spineflow.imaging.dicom.DicomTag.PATIENT_ID))
        .isEqualTo(VendoredDicom.PATIENT_ID);
    List<byte[]> parts = new ArrayList<>(series);
    parts.add(VendoredDicom.bytes("CT_small.dcm"));

    HttpResponse<String> first = stow(parts);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/dicom+json");
    JsonNode body = JSON.readTree(first.body());
    assertThat(body.at("/00081199/Value")).hasSize(8);
    assertThat(body.at("/00081199/Value/0/00081150/Value/0").asText())
        .isEqualTo("1.2.840.10008.5.1.4.1.1.4");
    assertThat(body.at("/00081198/Value")).hasSize(1);
    JsonNode failed = body.at("/00081198/Value/0");
    assertThat(failed.at("/00081150/Value/0").asText()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
    assertThat(failed.at("/00081197/Value/0").asInt()).isEqualTo(0x0122);
    assertThat(failed.at("/00000902/Value/0").asText()).startsWith("UNSUPPORTED_SOP_CLASS");

    Study study;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      study = reader.awaitAtLeast(1, WAIT).get(0).value();
    }
    assertThat(study.getStudyUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertThat(study.getSource()).isEqualTo(StudySource.DICOM);
    assertVolumeIsTheReaders(study);

    // The same series again: accepted at the door, no second event.
    HttpResponse<String> again = stow(series);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> ingest.counter("spineflow.ingest.duplicates") >= 8);
    // One sentinel study per partition: once each shows, every earlier output is committed.
    List<String> sentinels = ingest.sendSentinels("dicom-sentinel-");
    List<Study> all;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      reader.awaitAtLeast(1 + sentinels.size(), WAIT);
      all = reader.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
    }
    assertThat(all)
        .filteredOn(s -> s.getStudyUid().equals(VendoredDicom.SAG_SERIES))
        .as("exactly one event for the series")
        .hasSize(1);
    List<DeadLetter> letters;
    try (TopicReader<String, DeadLetter> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().deadletter())) {
      letters = reader.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
    }
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReasonCode()).isEqualTo("UNSUPPORTED_SOP_CLASS");
              assertThat(d.getField()).isEqualTo("SOPClassUID (0008,0016)");
              assertThat(d.getOriginalLocation()).endsWith("instance.dcm");
            });
    // Privacy: the patient's attributes are in no event, dead letter or log line.
    String events = all.toString() + letters;
    List<String> lines =
        LOGS.list.stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy()).toList();
    assertThat(lines).as("log lines were captured").isNotEmpty();
    for (String value :
        List.of(VendoredDicom.PATIENT_NAME, VendoredDicom.PATIENT_ID, VendoredDicom.BIRTH_DATE)) {
      assertThat(events).doesNotContain(value);
      assertThat(lines).noneMatch(line -> line.contains(value));
    }
  }

  @Test
  void withoutTheTokenNothingIsStored() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(ingest.uri(StowRsDoor.ROUTE))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x--"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  /** Geometry from the slice positions (dcm_qa: x from -81.6 to -48 mm) and the reader's voxels. */
  private static void assertVolumeIsTheReaders(Study study) throws Exception {
    Image image =
        new VolumeMapper(new ClaimCheckStore(ingest.config.claimsDir()), 0)
            .toImage(study.getImage());
    ImageGeometry g = image.geometry();
    assertThat(g.size()).containsExactly(256, 256, 8);
    // Within 1e-4: Avro 1.12.0 decodes array<double> at float precision (AVRO-4108).
    assertThat(g.spacing())
        .containsExactly(
            new double[] {1.015625, 1.015625, 4.8}, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(g.origin())
        .containsExactly(
            new double[] {-48, -130, 130}, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(g.direction())
        .containsExactly(
            new double[] {0, 0, -1, 1, 0, 0, 0, -1, 0},
            org.assertj.core.api.Assertions.within(1e-6));
    DicomReader reader = new DicomReader();
    for (int z = 0; z < 8; z++) {
      float[] frame =
          reader
              .read(VendoredDicom.bytes("sag_t1_000" + (8 - z) + ".dcm"))
              .frames()
              .get(0)
              .values();
      for (int i = 0; i < frame.length; i++) {
        if (image.voxel((long) z * frame.length + i) != frame[i]) {
          throw new AssertionError("slice " + z + " voxel " + i + " differs from the reader's");
        }
      }
    }
  }

  private HttpResponse<String> stow(List<byte[]> instances) throws Exception {
    return stow(http, ingest, instances);
  }

  /** A STOW-RS request of {@code instances} to {@code to}, with the token. */
  static HttpResponse<String> stow(HttpClient http, RunningIngest to, List<byte[]> instances)
      throws Exception {
    return http.send(
        StowRsRequest.of(to.uri(StowRsDoor.ROUTE), RunningIngest.TOKEN, instances),
        HttpResponse.BodyHandlers.ofString());
  }
}
