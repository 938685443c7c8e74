package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.LabelExtent;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.dicom.Deidentifier;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.testkit.TopicReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hospital's labels through the real ingest service on a real broker: the vendored sagittal T1
 * series and its DICOM Segmentation (an L4 vertebra and the L4/L5 disc, {@code
 * make_sag_t1_seg.py}).
 *
 * <ul>
 *   <li>Sent together by STOW-RS: exactly one {@code studies} event, labelled voxel for voxel as
 *       the Segmentation's frames say, declared as a partial label (vertebrae and discs over their
 *       span); the same SEG again adds nothing; a SEG of the liver is refused at the door and is
 *       one dead letter.
 *   <li>With de-identification on, sent by dcmtk's {@code storescu}, the SEG (without Plane
 *       Position, placed through its source images' pseudonymous UIDs) after the series was
 *       published: one unlabelled event, then one labelled revision, both keyed by the pseudonym.
 * </ul>
 */
class DicomSegmentationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SECRET = "an-it-secret-of-enough-bytes-for-seg";

  @TempDir static Path plainDir;
  @TempDir static Path deidDir;
  @TempDir Path files;
  private static RunningIngest plain;
  private static RunningIngest deidentifying;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    plain = RunningIngest.start(plainDir, Map.of("ingest.dicom.series.quiet", "3s"));
    deidentifying =
        RunningIngest.start(
            deidDir,
            Map.of(
                "ingest.dicom.series.quiet", "3s",
                "ingest.dicom.port", "0",
                "ingest.dicom.calling.ae.titles", "MRI_3T",
                "ingest.dicom.deidentify", "true",
                "ingest.dicom.deidentify.secret", SECRET));
  }

  @AfterAll
  static void stop() {
    for (RunningIngest ingest : new RunningIngest[] {plain, deidentifying}) {
      if (ingest != null) {
        ingest.close();
      }
    }
  }

  @Test
  void aSegSentWithItsSeriesByStowRsLabelsTheOneStudy() throws Exception {
    List<byte[]> parts = new ArrayList<>(List.of(VendoredDicom.sagittal(1, 2, 3, 4, 5, 6, 7, 8)));
    parts.add(VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS));
    parts.add(VendoredDicom.bytes("dcmqi_label_seg.dcm")); // the liver: not spine anatomy

    HttpResponse<String> response = DicomStowIT.stow(http, plain, parts);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.at("/00081199/Value")).hasSize(9);
    JsonNode failed = body.at("/00081198/Value/0");
    assertThat(failed.at("/00081150/Value/0").asText()).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
    assertThat(failed.at("/00000902/Value/0").asText()).startsWith("SEGMENT_ANATOMY_UNKNOWN");

    Study study;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(plain.bootstrapServers(), plain.context.topics().studies())) {
      study = reader.awaitAtLeast(1, WAIT).get(0).value();
    }
    assertThat(study.getStudyUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertLabelled(plain, study, VendoredSeg.WITH_POSITIONS);

    // The same SEG again: accepted at the door, no second event.
    double before = plain.counter("spineflow.ingest.duplicates");
    HttpResponse<String> again =
        DicomStowIT.stow(http, plain, List.of(VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS)));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> plain.counter("spineflow.ingest.duplicates") > before);
    assertThat(eventsOf(plain, VendoredDicom.SAG_SERIES)).as("exactly one event").hasSize(1);
    List<DeadLetter> letters = deadLetters(plain);
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReasonCode()).isEqualTo("SEGMENT_ANATOMY_UNKNOWN");
              assertThat(d.getField()).isEqualTo("SegmentedPropertyTypeCodeSequence (0062,000F)");
              assertThat(d.getLimit()).contains("CID 7603");
            });
  }

  @Test
  void aSegSentByStorescuAfterItsDeidentifiedSeriesMakesALabelledRevision() throws Exception {
    assumeTrue(
        KcatIngestIT.onPath("storescu"),
        "dcmtk is not on the PATH: install it (apt-get install -y dcmtk) to send with storescu");
    int port = deidentifying.service.dicomPort().orElseThrow();
    List<String> series = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      Path file = files.resolve("sag_t1_000" + n + ".dcm");
      Files.write(file, VendoredDicom.bytes(file.getFileName().toString()));
      series.add(file.toString());
    }
    String pseudonym =
        new Deidentifier(SECRET.getBytes(StandardCharsets.UTF_8), new DicomReader())
            .uid(VendoredDicom.SAG_SERIES);

    storescu(port, series);
    Study unlabelled;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(
            deidentifying.bootstrapServers(), deidentifying.context.topics().studies())) {
      unlabelled = reader.awaitAtLeast(1, WAIT).get(0).value();
    }
    assertThat(unlabelled.getStudyUid()).isEqualTo(pseudonym);
    assertThat(unlabelled.getLabel()).isNull();

    Path seg = files.resolve(VendoredSeg.WITHOUT_POSITIONS);
    Files.write(seg, VendoredSeg.bytes(VendoredSeg.WITHOUT_POSITIONS));
    storescu(port, List.of(seg.toString()));

    List<Study> events;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(
            deidentifying.bootstrapServers(), deidentifying.context.topics().studies())) {
      events = reader.awaitAtLeast(2, WAIT).stream().map(ConsumerRecord::value).toList();
    }
    Study labelled = events.get(1);
    assertThat(labelled.getStudyUid()).isEqualTo(pseudonym);
    assertThat(labelled.getContentSha256()).isNotEqualTo(unlabelled.getContentSha256());
    assertLabelled(deidentifying, labelled, VendoredSeg.WITHOUT_POSITIONS);
    assertThat(eventsOf(deidentifying, pseudonym)).as("one event per revision").hasSize(2);
    assertThat(deadLetters(deidentifying)).isEmpty();
  }

  private static void assertLabelled(RunningIngest ingest, Study study, String seg) {
    assertThat(study.getLabelCoverage()).isNotNull();
    assertThat(study.getLabelCoverage().getClasses())
        .containsExactlyInAnyOrder(LabelledClass.VERTEBRAE, LabelledClass.DISCS);
    assertThat(study.getLabelCoverage().getExtent()).isEqualTo(LabelExtent.LABELLED_SPAN);
    VolumeMapper volumes = new VolumeMapper(new ClaimCheckStore(ingest.config.claimsDir()), 0);
    Image label = volumes.toImage(study.getLabel());
    assertThat(label.geometry().sameGrid(volumes.toImage(study.getImage()).geometry(), 1e-4))
        .isTrue();
    VendoredSeg.assertLabelIs(label, seg);
  }

  /** Every event of {@code key} on {@code studies}, read after sentinels show all are committed. */
  private static List<Study> eventsOf(RunningIngest ingest, String key) {
    List<String> sentinels = ingest.sendSentinels("seg-sentinel-" + System.nanoTime() + "-");
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      reader.awaitKeys(java.util.Set.copyOf(sentinels), WAIT);
      return reader.readToEnd(WAIT).stream()
          .filter(r -> r.key().equals(key))
          .map(ConsumerRecord::value)
          .toList();
    }
  }

  private static List<DeadLetter> deadLetters(RunningIngest ingest) {
    try (TopicReader<String, DeadLetter> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().deadletter())) {
      return reader.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
    }
  }

  private void storescu(int port, List<String> paths) throws Exception {
    // -R: propose the SOP classes of the files given; storescu's default proposals (a fixed list
    // of common storage classes) leave Segmentation Storage out.
    List<String> command =
        new ArrayList<>(
            List.of("storescu", "-R", "-aet", "MRI_3T", "-aec", "SPINEFLOW", "127.0.0.1"));
    command.add(Integer.toString(port));
    command.addAll(paths);
    Path log = Files.createTempFile(files, "storescu", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("storescu did not finish within 60 s");
    }
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }
}
