package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.Deidentifier;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest.dicom.deidentify} in the real ingest service on a real broker: the real sagittal
 * series with a distinctive patient, stored by STOW-RS, becomes one {@code studies} event keyed by
 * the keyed pseudonym of its Series Instance UID, with the same voxels; no {@code studies.upload}
 * record holds the patient's name, ID, birth date or original series UID; the mapping is in the
 * operator's file.
 */
class DicomDeidentifyIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SECRET = "an-it-secret-of-enough-bytes";

  @TempDir static Path dataDir;
  private static RunningIngest ingest;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dataDir.resolve("private"));
    ingest =
        RunningIngest.start(
            dataDir,
            Map.of(
                "ingest.dicom.series.quiet",
                "3s",
                "ingest.dicom.deidentify",
                "true",
                "ingest.dicom.deidentify.secret",
                SECRET,
                "ingest.dicom.pseudonym.map",
                dataDir.resolve("private").toString()));
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void theStudyIsKeyedByThePseudonymAndNoUploadHoldsThePatient() throws Exception {
    List<byte[]> series = new ArrayList<>();
    for (byte[] file : VendoredDicom.sagittal(1, 2, 3, 4, 5, 6, 7, 8)) {
      series.add(VendoredDicom.withPatient(file));
    }
    HttpResponse<String> response = DicomStowIT.stow(http, ingest, series);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    String pseudonym =
        new Deidentifier(SECRET.getBytes(StandardCharsets.UTF_8), new DicomReader())
            .uid(VendoredDicom.SAG_SERIES);
    ConsumerRecord<String, Study> event;
    try (TopicReader<String, Study> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studies())) {
      event = reader.awaitAtLeast(1, WAIT).get(0);
    }
    assertThat(event.key()).isEqualTo(pseudonym);
    assertThat(event.value().getStudyUid()).isEqualTo(pseudonym);
    Image image =
        new VolumeMapper(new ClaimCheckStore(ingest.config.claimsDir()), 0)
            .toImage(event.value().getImage());
    assertThat(image.geometry().size()).containsExactly(256, 256, 8);
    float[] firstSlice =
        new DicomReader().read(VendoredDicom.bytes("sag_t1_0008.dcm")).frames().get(0).values();
    for (int i = 0; i < firstSlice.length; i++) {
      assertThat(image.voxel(i)).as("voxel %d", i).isEqualTo(firstSlice[i]);
    }

    List<ConsumerRecord<String, byte[]>> uploads;
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().studiesUpload())) {
      uploads = reader.awaitAtLeast(8, WAIT);
    }
    assertThat(uploads).hasSize(8);
    for (ConsumerRecord<String, byte[]> upload : uploads) {
      assertThat(upload.key()).isEqualTo(pseudonym);
      String bytes = new String(upload.value(), StandardCharsets.ISO_8859_1);
      for (String value :
          List.of(
              VendoredDicom.PATIENT_NAME,
              VendoredDicom.PATIENT_ID,
              VendoredDicom.BIRTH_DATE,
              VendoredDicom.SAG_SERIES)) {
        assertThat(bytes).doesNotContain(value);
      }
      DataSet data = new DicomReader().readFile(upload.value()).dataset();
      assertThat(data.string(DicomTag.PATIENT_NAME)).isNull();
    }

    List<String> map = Files.readAllLines(dataDir.resolve("private/pseudonyms.tsv"));
    assertThat(map).anyMatch(l -> l.endsWith("\t" + VendoredDicom.SAG_SERIES + "\t" + pseudonym));
    assertThat(map).anyMatch(l -> l.contains("\tPatientID\t" + VendoredDicom.PATIENT_ID + "\t"));
  }
}
