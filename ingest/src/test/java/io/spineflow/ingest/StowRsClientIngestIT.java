package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.http.StowRsClient;
import io.spineflow.platform.http.StowRsClient.StowException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * platform's STOW-RS client (what delivery sends Segmentations with) against spineflow's own
 * STOW-RS door, the real ingest service on a real broker: a Segmentation is stored (200), an
 * instance of a SOP class the door does not take is a refusal naming its Failure Reason (409, not
 * retryable), a wrong token a refusal (401, not retryable).
 */
class StowRsClientIngestIT {
  @TempDir static Path dataDir;
  private static RunningIngest ingest;

  @BeforeAll
  static void start() {
    ingest = RunningIngest.start(dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
  }

  private static StowRsClient client(String token) {
    return new StowRsClient(
        ingest.uri("/dicomweb"), token, null, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  @Test
  void aSegmentationIsStored() throws Exception {
    StowRsClient client = client(RunningIngest.TOKEN);
    assertThat(client.endpoint().getPath()).isEqualTo(StowRsDoor.ROUTE);

    assertThat(client.store(List.of(VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS)))).isEqualTo(200);
  }

  @Test
  void anUnsupportedSopClassIsARefusalWithItsFailureReason() {
    assertThatThrownBy(
            () -> client(RunningIngest.TOKEN).store(List.of(VendoredDicom.bytes("CT_small.dcm"))))
        .isInstanceOfSatisfying(
            StowException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("Failure Reason 0122")
                  .contains("UNSUPPORTED_SOP_CLASS");
            });
  }

  @Test
  void aWrongTokenIsARefusal() {
    assertThatThrownBy(
            () ->
                client("not-the-token-of-this-door")
                    .store(List.of(VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS))))
        .isInstanceOfSatisfying(
            StowException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.retryable()).isFalse();
            });
  }
}
