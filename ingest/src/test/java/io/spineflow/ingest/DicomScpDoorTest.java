package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.Part10;
import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.imaging.dicom.net.StoreScu;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DICOM door's settings and what it adds to the SCP: dead letters for the instances the SCP
 * refuses itself, meters, DICOM TLS with the HTTP key material. On loopback, without Kafka (a
 * lambda sink and a list of dead letters).
 */
class DicomScpDoorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
  private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

  @TempDir Path dir;

  private final List<DicomInstanceSink.ReceivedInstance> stored = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private DicomScpDoor door(Map<String, String> values) {
    StoreScpConfig config = DicomScpDoor.config(Settings.of(values));
    DicomScpDoor door =
        new DicomScpDoor(
            config,
            instance -> {
              synchronized (stored) {
                stored.add(instance);
              }
              return DicomInstanceSink.Outcome.accepted();
            },
            (key, letter) -> {
              synchronized (deadLetters) {
                deadLetters.add(letter);
              }
            },
            new IngestMetrics(registry),
            registry);
    door.start();
    return door;
  }

  @Test
  void isOffUnlessAPortIsSet() {
    assertThat(DicomScpDoor.config(Settings.of(Map.of()))).isNull();
  }

  @Test
  void readsItsSettings() {
    StoreScpConfig config =
        DicomScpDoor.config(
            Settings.of(
                Map.of(
                    "ingest.dicom.port", "11112",
                    "ingest.dicom.ae.titles", "SPINEFLOW, SPINE_RESEARCH",
                    "ingest.dicom.calling.ae.titles", "MRI_3T,PACS",
                    "ingest.dicom.max.pdu.bytes", "16384",
                    "ingest.dicom.max.associations", "3",
                    "ingest.dicom.idle.timeout", "2m")));
    assertThat(config.port()).isEqualTo(11112);
    assertThat(config.calledAeTitles()).containsExactlyInAnyOrder("SPINEFLOW", "SPINE_RESEARCH");
    assertThat(config.callingAeTitles()).containsExactlyInAnyOrder("MRI_3T", "PACS");
    assertThat(config.maxPduLength()).isEqualTo(16384);
    assertThat(config.maxAssociations()).isEqualTo(3);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.artimTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxInstanceBytes()).isEqualTo(128 << 20);
    assertThat(config.tls()).isNull();
    assertThat(config.sopClasses())
        .containsExactlyInAnyOrder(
            StoreScpConfig.MR_IMAGE_STORAGE,
            StoreScpConfig.ENHANCED_MR_IMAGE_STORAGE,
            StoreScpConfig.SEGMENTATION_STORAGE);
  }

  @Test
  void namesTheSettingAtFault() {
    assertThatThrownBy(
            () ->
                DicomScpDoor.config(
                    Settings.of(
                        Map.of(
                            "ingest.dicom.port",
                            "104",
                            "ingest.dicom.ae.titles",
                            "A_TITLE_LONGER_THAN_16"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.setting()).isEqualTo("ingest.dicom.ae.titles"));
    assertThatThrownBy(
            () ->
                DicomScpDoor.config(
                    Settings.of(
                        Map.of(
                            "ingest.dicom.port", "104", "ingest.dicom.calling.ae.titles", " , "))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.setting()).isEqualTo("ingest.dicom.calling.ae.titles"));
    assertThatThrownBy(
            () ->
                DicomScpDoor.config(
                    Settings.of(
                        Map.of("ingest.dicom.port", "104", "ingest.dicom.max.pdu.bytes", "1024"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.setting()).isEqualTo("ingest.dicom.max.pdu.bytes"));
    assertThatThrownBy(
            () ->
                DicomScpDoor.config(
                    Settings.of(Map.of("ingest.dicom.port", "104", "ingest.dicom.tls", "true"))))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.setting()).isEqualTo("ingest.dicom.tls"))
        .hasMessageContaining("http.tls.keystore");
  }

  @Test
  void aPortInUseIsAConfigurationError() throws Exception {
    try (DicomScpDoor first = door(Map.of("ingest.dicom.port", "0"))) {
      Map<String, String> same = Map.of("ingest.dicom.port", Integer.toString(first.port()));
      assertThatThrownBy(() -> door(same))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertThat(e.setting()).isEqualTo("ingest.dicom.port"));
    }
  }

  @Test
  void deadLettersAnInstanceAboveTheLimitAndCountsIt() throws Exception {
    try (DicomScpDoor door =
        door(Map.of("ingest.dicom.port", "0", "ingest.dicom.max.instance.bytes", "1024"))) {
      StoreScu scu =
          StoreScu.connect(
              "127.0.0.1",
              door.port(),
              "MRI_3T",
              "SPINEFLOW",
              List.of(StoreScu.context(1, StoreScpConfig.MR_IMAGE_STORAGE, EXPLICIT)),
              null,
              TIMEOUT);
      assertThat(scu.store(mrInstance("1.2.826.0.1.3680043.2.1125.1", 4096)).status())
          .isEqualTo(0xA700);
      assertThat(scu.store(mrInstance("1.2.826.0.1.3680043.2.1125.2", 64)).status()).isZero();
      scu.release();
    }
    assertThat(stored).hasSize(1);
    assertThat(deadLetters).hasSize(1);
    DeadLetter letter = deadLetters.get(0);
    assertThat(letter.getReasonCode()).isEqualTo("INSTANCE_TOO_LARGE");
    assertThat(letter.getLimit()).isEqualTo("ingest.dicom.max.instance.bytes=1024");
    assertThat(letter.getStage()).isEqualTo(IngestEvents.STAGE);
    assertThat(letter.getOriginalLocation()).startsWith("dicom://MRI_3T@127.0.0.1:");
    assertThat(registry.counter("spineflow.ingest.dicom.instances", "status", "A700").count())
        .isEqualTo(1);
    assertThat(registry.counter("spineflow.ingest.dicom.instances", "status", "0000").count())
        .isEqualTo(1);
    assertThat(
            registry
                .counter(
                    "spineflow.ingest.studies.rejected",
                    "door",
                    "dicom",
                    "reason",
                    "INSTANCE_TOO_LARGE")
                .count())
        .isEqualTo(1);
    assertThat(
            registry.counter("spineflow.ingest.dicom.associations", "outcome", "accepted").count())
        .isEqualTo(1);
  }

  @Test
  void speaksDicomTlsWithTheHttpCertificate() throws Exception {
    Map<String, String> values = tlsSettings();
    try (DicomScpDoor door = door(values)) {
      SSLContext client = Tls.trusting(dir.resolve("cert.pem"));
      StoreScu scu = echoAssociation(door, client);
      assertThat(scu.echo().status()).isZero();
      scu.release();
      assertThatThrownBy(() -> echoAssociation(door, null))
          .as("plain TCP on a TLS port")
          .isInstanceOf(IOException.class);
      assertThat(door.alive()).isTrue();
    }
  }

  @Test
  void withAClientCaRefusesASenderWithoutACertificate() throws Exception {
    Map<String, String> values = new HashMap<>(tlsSettings());
    values.put("ingest.dicom.tls.client.ca", dir.resolve("cert.pem").toString());
    StoreScpConfig config = DicomScpDoor.config(Settings.of(values));
    assertThat(config.requireClientCertificate()).isTrue();
    try (DicomScpDoor door = door(values)) {
      SSLContext anonymous = Tls.trusting(dir.resolve("cert.pem"));
      assertThatThrownBy(() -> echoAssociation(door, anonymous).echo())
          .isInstanceOf(IOException.class);
      assertThat(door.alive()).isTrue();
    }
  }

  private Map<String, String> tlsSettings() throws IOException {
    Tls.writePem(
        SelfSignedCertificate.generate(
            "dicom test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1)),
        dir.resolve("cert.pem"),
        dir.resolve("key.pem"));
    return Map.of(
        "ingest.dicom.port",
        "0",
        "ingest.dicom.tls",
        "true",
        "http.tls.cert",
        dir.resolve("cert.pem").toString(),
        "http.tls.key",
        dir.resolve("key.pem").toString());
  }

  private static StoreScu echoAssociation(DicomScpDoor door, SSLContext tls) throws IOException {
    return StoreScu.connect(
        "127.0.0.1",
        door.port(),
        "MRI_3T",
        "SPINEFLOW",
        List.of(StoreScu.context(1, StoreScpConfig.VERIFICATION, IMPLICIT)),
        tls,
        TIMEOUT);
  }

  /**
   * A minimal MR Image Storage instance (Explicit VR Little Endian): SOP Class and Instance UIDs
   * and {@code pixelBytes} of Pixel Data, enough for the SCP, which reads only the UIDs.
   */
  static byte[] mrInstance(String sopInstanceUid, int pixelBytes) {
    ByteArrayOutputStream dataset = new ByteArrayOutputStream();
    shortElement(dataset, 0x0008, 0x0016, "UI", uid(StoreScpConfig.MR_IMAGE_STORAGE));
    shortElement(dataset, 0x0008, 0x0018, "UI", uid(sopInstanceUid));
    dataset.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
    dataset.writeBytes(
        new byte[] {(byte) pixelBytes, (byte) (pixelBytes >>> 8), (byte) (pixelBytes >>> 16), 0});
    dataset.writeBytes(new byte[pixelBytes]);
    return Part10.wrap(
        StoreScpConfig.MR_IMAGE_STORAGE, sopInstanceUid, EXPLICIT, dataset.toByteArray(), null);
  }

  private static byte[] uid(String uid) {
    byte[] ascii = uid.getBytes(StandardCharsets.US_ASCII);
    return ascii.length % 2 == 0 ? ascii : java.util.Arrays.copyOf(ascii, ascii.length + 1);
  }

  private static void shortElement(
      ByteArrayOutputStream out, int group, int element, String vr, byte[] value) {
    out.writeBytes(
        new byte[] {(byte) group, (byte) (group >>> 8), (byte) element, (byte) (element >>> 8)});
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {(byte) value.length, (byte) (value.length >>> 8)});
    out.writeBytes(value);
  }
}
