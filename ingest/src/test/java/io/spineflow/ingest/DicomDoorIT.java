package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.imaging.dicom.net.StoreScu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DICOM door inside a running ingest (embedded broker): started from {@code ingest.dicom.port},
 * shown in health, answering C-ECHO, stopped with the service.
 */
class DicomDoorIT {
  @TempDir Path dataDir;

  @Test
  void ingestStartsTheScpWhenAPortIsSetAndStopsItOnClose() throws Exception {
    int port;
    try (RunningIngest ingest =
        RunningIngest.start(
            dataDir,
            Map.of("ingest.dicom.port", "0", "ingest.dicom.calling.ae.titles", "MRI_3T"))) {
      assertThat(ingest.service.dicomPort()).isPresent();
      port = ingest.service.dicomPort().getAsInt();
      assertThat(ingest.service.health().details())
          .containsEntry("dicom", "listening on port " + port);
      StoreScu scu = echo(port);
      assertThat(scu.echo().status()).isZero();
      scu.release();
    }
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> echo(port)))
        .as("closed with the service")
        .isInstanceOf(java.io.IOException.class);
  }

  private static StoreScu echo(int port) throws java.io.IOException {
    return StoreScu.connect(
        "127.0.0.1",
        port,
        "MRI_3T",
        "SPINEFLOW",
        List.of(
            StoreScu.context(
                1, StoreScpConfig.VERIFICATION, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)),
        null,
        Duration.ofSeconds(10));
  }
}
