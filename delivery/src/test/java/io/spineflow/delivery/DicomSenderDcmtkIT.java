package io.spineflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.DicomWriter;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.DicomSender;
import io.spineflow.imaging.dicom.net.StoreFailure;
import io.spineflow.imaging.dicom.net.StoreOutcome;
import io.spineflow.imaging.dicom.net.StoreTarget;
import io.spineflow.testkit.DcmtkStorescp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * imaging's C-STORE sender ({@link DicomSender}) against dcmtk's {@code storescp}, the real foreign
 * receiver: what storescp writes is the Segmentation we sent. Skipped, saying why, without dcmtk.
 */
class DicomSenderDcmtkIT {
  private static SegmentationWriter.Written seg;

  @TempDir Path dir;

  @BeforeAll
  static void writeSegmentation() throws Exception {
    seg = SegmentationFiles.of("dcmtk-study");
  }

  @BeforeEach
  void needDcmtk() {
    assumeTrue(
        DcmtkStorescp.installed(),
        "dcmtk is not on the PATH: apt-get install -y dcmtk to run the C-STORE sender's checks");
  }

  private static StoreTarget target(int port) {
    return new StoreTarget(
        "127.0.0.1",
        port,
        "SPINEFLOW",
        DcmtkStorescp.AE,
        null,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  @Test
  void storescpReceivesTheDataSetByteForByte() throws Exception {
    try (DcmtkStorescp scp = DcmtkStorescp.start(DcmtkStorescp.freePort(), dir.resolve("in"))) {
      StoreOutcome outcome = DicomSender.send(target(scp.port()), seg.part10());

      assertThat(outcome.status()).isZero();
      assertThat(outcome.warning()).isFalse();
      assertThat(outcome.sopInstanceUid()).isEqualTo(seg.sopInstanceUid());
      assertThat(outcome.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
      List<Path> files = scp.received();
      assertThat(files).as(scp.log()).hasSize(1);
      byte[] received = Files.readAllBytes(files.get(0));
      assertThat(dataset(received)).isEqualTo(dataset(seg.part10()));
      assertThat(DcmtkStorescp.dcmdump(files.get(0)))
          .contains(seg.sopInstanceUid())
          .contains("SegmentationStorage");
    }
  }

  @Test
  void anImplicitOnlyReceiverGetsTheSameElementsInImplicitVr() throws Exception {
    try (DcmtkStorescp scp =
        DcmtkStorescp.start(DcmtkStorescp.freePort(), dir.resolve("in"), "+xi")) {
      StoreOutcome outcome = DicomSender.send(target(scp.port()), seg.part10());

      assertThat(outcome.transferSyntax()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
      List<Path> files = scp.received();
      assertThat(files).as(scp.log()).hasSize(1);
      DicomReader reader = new DicomReader();
      DicomFile got = reader.readFile(Files.readAllBytes(files.get(0)));
      DicomFile sent = reader.readFile(seg.part10());
      assertThat(got.transferSyntax().uid()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
      assertThat(got.dataset().string(DicomTag.SOP_INSTANCE_UID)).isEqualTo(seg.sopInstanceUid());
      assertThat(DicomWriter.encode(got.dataset(), false))
          .as("the same elements and values")
          .isEqualTo(DicomWriter.encode(sent.dataset(), false));
      assertThat(DcmtkStorescp.dcmdump(files.get(0))).contains(seg.sopInstanceUid());
    }
  }

  @Test
  void echoIsAnswered() throws Exception {
    try (DcmtkStorescp scp = DcmtkStorescp.start(DcmtkStorescp.freePort(), dir.resolve("in"))) {
      assertThat(DicomSender.echo(target(scp.port()))).isZero();
    }
  }

  @Test
  void aRefusingReceiverIsAPermanentRejection() throws Exception {
    try (DcmtkStorescp scp =
        DcmtkStorescp.start(DcmtkStorescp.freePort(), dir.resolve("in"), "--refuse")) {
      assertThatThrownBy(() -> DicomSender.send(target(scp.port()), seg.part10()))
          .isInstanceOfSatisfying(
              StoreFailure.class,
              f -> {
                assertThat(f.reason()).isEqualTo(StoreFailure.Reason.ASSOCIATION_REJECTED);
                assertThat(f.retryable()).isFalse();
              });
      assertThat(scp.received()).isEmpty();
    }
  }

  @Test
  void nobodyListeningIsARetryableConnectionFailure() throws Exception {
    int port = DcmtkStorescp.freePort();
    assertThatThrownBy(() -> DicomSender.send(target(port), seg.part10()))
        .isInstanceOfSatisfying(
            StoreFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(StoreFailure.Reason.CONNECTION_FAILED);
              assertThat(f.retryable()).isTrue();
              assertThat(f.getMessage()).contains("127.0.0.1:" + port);
            });
  }

  /** The bytes after the file meta group. */
  private static byte[] dataset(byte[] part10) {
    int metaLength =
        (part10[140] & 0xFF)
            | (part10[141] & 0xFF) << 8
            | (part10[142] & 0xFF) << 16
            | (part10[143] & 0xFF) << 24;
    return Arrays.copyOfRange(part10, 144 + metaLength, part10.length);
  }
}
