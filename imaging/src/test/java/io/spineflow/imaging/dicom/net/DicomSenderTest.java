package io.spineflow.imaging.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import io.spineflow.imaging.dicom.net.StoreFailure.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link DicomSender} against our own {@link StoreScp} on loopback: what it stored, and each way a
 * receiver says no, classified retryable or not (dcmtk's storescp is the foreign receiver of
 * delivery's DicomSenderDcmtkIT).
 */
class DicomSenderTest {
  private static final String AE = ScpFixture.AE;

  private static StoreTarget target(int port) {
    return new StoreTarget(
        "127.0.0.1", port, "SENDER", AE, null, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void theScpStoresTheDataSetAsSent() throws Exception {
    byte[] mr = ScpFixture.vendored("MR_small.dcm");
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      StoreOutcome outcome = DicomSender.send(target(scp.port()), mr);

      assertThat(outcome.status()).isZero();
      assertThat(scp.received()).hasSize(1);
      byte[] received = scp.received().get(0).part10();
      assertThat(slice(received)).isEqualTo(slice(mr));
      assertThat(scp.hasEvent(ScpEvent.Kind.ASSOCIATION_RELEASED, null)).isTrue();
      assertThat(DicomSender.echo(target(scp.port()))).isZero();
    }
  }

  @Test
  void aSopClassTheScpDoesNotTakeIsRefusedForGood() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      assertThatThrownBy(
              () -> DicomSender.send(target(scp.port()), ScpFixture.vendored("CT_small.dcm")))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> {
                assertThat(f.reason()).isEqualTo(Reason.SOP_CLASS_REFUSED);
                assertThat(f.retryable()).isFalse();
                assertThat(f.getMessage()).contains("1.2.840.10008.5.1.4.1.1.2");
              });
      assertThat(scp.received()).isEmpty();
    }
  }

  @Test
  void aRefusedInstanceIsAFailureWithItsStatusAndComment() throws Exception {
    try (ScpFixture scp =
        new ScpFixture(
            StoreScpConfig.loopback(0, AE),
            i -> Outcome.refused("NOT_SAGITTAL", "ImageOrientationPatient", "axial"))) {
      assertThatThrownBy(
              () -> DicomSender.send(target(scp.port()), ScpFixture.vendored("MR_small.dcm")))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> {
                assertThat(f.reason()).isEqualTo(Reason.STORE_FAILED);
                assertThat(f.status()).isEqualTo(0xC000);
                assertThat(f.retryable()).isFalse();
                assertThat(f.getMessage()).contains("C000").contains("NOT_SAGITTAL");
              });
    }
  }

  @Test
  void outOfResourcesIsRetryable() throws Exception {
    try (ScpFixture scp =
        new ScpFixture(StoreScpConfig.loopback(0, AE), i -> Outcome.unavailable("Kafka down"))) {
      assertThatThrownBy(
              () -> DicomSender.send(target(scp.port()), ScpFixture.vendored("MR_small.dcm")))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> {
                assertThat(f.reason()).isEqualTo(Reason.OUT_OF_RESOURCES);
                assertThat(f.status()).isEqualTo(0xA700);
                assertThat(f.retryable()).isTrue();
              });
    }
  }

  @Test
  void anUnknownCallingAeIsAPermanentRejection() throws Exception {
    try (ScpFixture scp =
        new ScpFixture(StoreScpConfig.loopback(0, AE).withCallingAeTitles(Set.of("PACS")))) {
      assertThatThrownBy(
              () -> DicomSender.send(target(scp.port()), ScpFixture.vendored("MR_small.dcm")))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> assertThat(f.reason()).isEqualTo(Reason.ASSOCIATION_REJECTED));
    }
  }

  @Test
  void aPeerThatNeverAnswersTimesOutRetryably() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StoreTarget quick =
          new StoreTarget(
              "127.0.0.1",
              silent.getLocalPort(),
              "SENDER",
              AE,
              null,
              Duration.ofSeconds(2),
              Duration.ofMillis(200));
      assertThatThrownBy(() -> DicomSender.send(quick, ScpFixture.vendored("MR_small.dcm")))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> {
                assertThat(f.reason()).isEqualTo(Reason.CONNECTION_FAILED);
                assertThat(f.retryable()).isTrue();
              });
    }
  }

  @Test
  void bytesThatAreNotPart10AreRefusedBeforeConnecting() {
    assertThatThrownBy(() -> DicomSender.send(target(1), new byte[200]))
        .isInstanceOfSatisfying(
            StoreFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NOT_PART10));
  }

  @Test
  void aeTitlesAreCheckedWhenTheTargetIsMade() {
    assertThatThrownBy(
            () ->
                new StoreTarget(
                    "h",
                    104,
                    "A_TITLE_LONGER_THAN_16",
                    AE,
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .hasMessageContaining("calling AE title");
  }

  @Test
  void successAndTheThreeStorageWarningsCountAsStored() {
    assertThat(List.of(0x0000, 0xB000, 0xB006, 0xB007)).allMatch(StoreOutcome::stored);
    assertThat(List.of(0x0001, 0x0110, 0x0122, 0xA700, 0xA900, 0xC000, 0xFE00))
        .noneMatch(StoreOutcome::stored);
    assertThat(new StoreOutcome("1.2", 0xB007, null, "1.2.840.10008.1.2").warning()).isTrue();
    assertThat(StoreOutcome.hex(0xB007)).isEqualTo("B007");
  }

  private static byte[] slice(byte[] part10) throws Exception {
    return java.util.Arrays.copyOfRange(part10, StoreScu.datasetOffset(part10), part10.length);
  }
}
