package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM TLS on the DICOM door against a foreign client: dcmtk's {@code storescu} and {@code
 * echoscu} (OpenSSL) trusting the HTTP certificate. Skipped, saying why, when dcmtk is not on the
 * PATH (CI installs it).
 */
class DicomTlsDcmtkIT {
  @TempDir Path dir;

  private final List<byte[]> stored = new ArrayList<>();

  @Test
  void storescuSendsOverTlsAndAPlainClientIsRefused() throws Exception {
    assumeTrue(
        KcatIngestIT.onPath("storescu") && KcatIngestIT.onPath("echoscu"),
        "dcmtk is not on the PATH: install it (apt-get install -y dcmtk) to run the DICOM TLS"
            + " check against a foreign client");
    Path cert = dir.resolve("cert.pem");
    Tls.writePem(
        SelfSignedCertificate.generate(
            "dicom tls test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1)),
        cert,
        dir.resolve("key.pem"));
    Map<String, String> values = new HashMap<>();
    values.put("ingest.dicom.port", "0");
    values.put("ingest.dicom.tls", "true");
    values.put("http.tls.cert", cert.toString());
    values.put("http.tls.key", dir.resolve("key.pem").toString());
    Path instance =
        Files.write(
            dir.resolve("instance.dcm"),
            DicomScpDoorTest.mrInstance("1.2.826.0.1.3680043.2.1125.7", 512));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DicomScpDoor door =
        new DicomScpDoor(
            DicomScpDoor.config(Settings.of(values)),
            received -> {
              synchronized (stored) {
                stored.add(received.part10());
              }
              return DicomInstanceSink.Outcome.accepted();
            },
            (key, letter) -> {},
            new IngestMetrics(registry),
            registry)) {
      door.start();
      String port = Integer.toString(door.port());
      String[] tls = {"+tla", "+cf", cert.toString()};
      Run store =
          run(
              concat(
                  "storescu",
                  tls,
                  "-aet",
                  "MRI_3T",
                  "-aec",
                  "SPINEFLOW",
                  "127.0.0.1",
                  port,
                  instance.toString()));
      assertThat(store.exit()).as(store.output()).isZero();
      synchronized (stored) {
        assertThat(stored).hasSize(1);
        // The received file's meta group adds Source AE Title; the data set is the one sent.
        assertThat(dataset(stored.get(0)))
            .as("the data set storescu sent")
            .isEqualTo(dataset(Files.readAllBytes(instance)));
      }
      Run plain = run("echoscu", "-aet", "MRI_3T", "-aec", "SPINEFLOW", "127.0.0.1", port);
      assertThat(plain.exit()).as("plain TCP on the TLS port: " + plain.output()).isNotZero();
      Run echo =
          run(concat("echoscu", tls, "-aet", "MRI_3T", "-aec", "SPINEFLOW", "127.0.0.1", port));
      assertThat(echo.exit()).as(echo.output()).isZero();
      assertThat(door.alive()).isTrue();
    }
  }

  /** A Part 10 file's data set: what follows the meta group its group length (0002,0000) says. */
  private static String dataset(byte[] part10) throws java.security.GeneralSecurityException {
    int length =
        (part10[140] & 0xFF)
            | (part10[141] & 0xFF) << 8
            | (part10[142] & 0xFF) << 16
            | (part10[143] & 0xFF) << 24;
    byte[] dataset = java.util.Arrays.copyOfRange(part10, 144 + length, part10.length);
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(dataset));
  }

  private static String[] concat(String program, String[] options, String... rest) {
    List<String> all = new ArrayList<>(List.of(program));
    all.addAll(List.of(options));
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  record Run(int exit, String output) {}

  private Run run(String... command) throws Exception {
    Path log = Files.createTempFile(dir, "dcmtk", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Run(process.exitValue(), String.join(" ", command) + "\n" + Files.readString(log));
  }
}
