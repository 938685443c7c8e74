package io.spineflow.imaging.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.dicom.net.Pdu.AssociateAccept;
import io.spineflow.imaging.dicom.net.Pdu.AssociateReject;
import io.spineflow.imaging.dicom.net.Pdu.AssociateRequest;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.Pdu.PData;
import io.spineflow.imaging.dicom.net.Pdu.Pdv;
import io.spineflow.imaging.dicom.net.Pdu.UserInformation;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The PDU codec: what it writes it reads back, and whatever the bytes it throws only its own. */
class PduCodecTest {
  static final AssociateRequest REQUEST =
      new AssociateRequest(
          1,
          "SPINEFLOW",
          "MRI_3T",
          Pdu.APPLICATION_CONTEXT,
          List.of(
              StoreScu.context(1, StoreScpConfig.VERIFICATION, "1.2.840.10008.1.2"),
              StoreScu.context(
                  3, StoreScpConfig.MR_IMAGE_STORAGE, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2")),
          new UserInformation(16384, "1.2.276.0.7230010.3.0.3.6.7", "OFFIS_DCMTK_367"));

  /** Valid PDUs of every type, for round trips and as the random mutations' starting points. */
  static List<Pdu> samples() {
    return List.of(
        REQUEST,
        new AssociateAccept(
            1,
            "SPINEFLOW",
            "MRI_3T",
            Pdu.APPLICATION_CONTEXT,
            List.of(
                new ContextResult(1, 0, "1.2.840.10008.1.2"),
                new ContextResult(3, 4, "1.2.840.10008.1.2.1")),
            new UserInformation(65536, "2.25.1", null)),
        new AssociateReject(1, 1, 7),
        new PData(
            List.of(
                new Pdv(1, true, true, DimseCommand.request(1, 5, "1.2", "1.2.3", true).encode()),
                new Pdv(1, false, false, new byte[] {8, 0, 0x16, 0, 2, 0, 0, 0, 'M', 'R'}))),
        new Pdu.ReleaseRequest(),
        new Pdu.ReleaseResponse(),
        new Pdu.Abort(2, 6));
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    for (Pdu pdu : samples()) {
      byte[] bytes = PduCodec.encode(pdu);
      Pdu decoded = PduCodec.decode(bytes);
      Pdu read = PduCodec.read(new ByteArrayInputStream(bytes), 1 << 20);
      if (pdu instanceof PData data) {
        // records with arrays compare by identity: compare the PDVs' fields
        for (Pdu copy : List.of(decoded, read)) {
          List<Pdv> pdvs = ((PData) copy).pdvs();
          assertThat(pdvs).hasSameSizeAs(data.pdvs());
          for (int i = 0; i < pdvs.size(); i++) {
            assertThat(pdvs.get(i).data()).isEqualTo(data.pdvs().get(i).data());
            assertThat(pdvs.get(i).command()).isEqualTo(data.pdvs().get(i).command());
            assertThat(pdvs.get(i).last()).isEqualTo(data.pdvs().get(i).last());
          }
        }
      } else {
        assertThat(decoded).isEqualTo(pdu);
        assertThat(read).isEqualTo(pdu);
      }
    }
  }

  @Test
  void aCleanEndOfStreamIsNoPdu() throws Exception {
    assertThat(PduCodec.read(new ByteArrayInputStream(new byte[0]), 1024)).isNull();
  }

  @Test
  void refusesAnOversizedPduFromItsHeader() {
    // Only the header: a reader that allocated the declared 4 GiB would fail otherwise.
    byte[] header = {0x04, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(header), 1 << 16))
        .isInstanceOfSatisfying(
            PduException.class, e -> assertThat(e.reason()).isEqualTo(PduReason.PDU_TOO_LARGE))
        .hasMessageContaining("4294967295")
        .hasMessageContaining("65536");
  }

  @Test
  void namesEachKindOfBrokenPdu() {
    byte[] request = PduCodec.encode(REQUEST);
    assertReason(new byte[] {0x47, 0x45, 0x54, 0x20, 0x2F, 0x20}, PduReason.UNRECOGNIZED_PDU);
    assertReason(Arrays.copyOf(request, request.length - 3), PduReason.TRUNCATED_PDU);
    assertReason(new byte[] {0x05, 0, 0, 0, 0, 2, 0, 0}, PduReason.INVALID_PDU_PARAMETER);
    byte[] unknownItem = request.clone();
    unknownItem[74] = 0x60; // the application context item's type
    assertReason(unknownItem, PduReason.UNRECOGNIZED_PDU_PARAMETER);
    // A PDV whose length is below 2
    assertReason(
        new byte[] {0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3}, PduReason.INVALID_PDU_PARAMETER);
  }

  private static void assertReason(byte[] pdu, PduReason reason) {
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(pdu), 1 << 16))
        .isInstanceOfSatisfying(PduException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void commandSetsRoundTripAndRefuseOtherGroups() throws Exception {
    DimseCommand rq =
        DimseCommand.request(
            DimseCommand.C_STORE_RQ, 42, "1.2.840.10008.5.1.4.1.1.4", "1.2.3.4.5", true);
    DimseCommand read = DimseCommand.decode(rq.encode());
    assertThat(read.commandField()).isEqualTo(DimseCommand.C_STORE_RQ);
    assertThat(read.messageId()).isEqualTo(42);
    assertThat(read.affectedSopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
    assertThat(read.affectedSopInstanceUid()).isEqualTo("1.2.3.4.5");
    assertThat(read.hasDataSet()).isTrue();
    DimseCommand rsp =
        DimseCommand.response(read, 0xC000).withErrorComment("X\\Y\n" + "z".repeat(80));
    DimseCommand rspRead = DimseCommand.decode(rsp.encode());
    assertThat(rspRead.status()).isEqualTo(0xC000);
    assertThat(rspRead.errorComment()).hasSize(64).startsWith("X?Y?z");
    byte[] group8 = {8, 0, 0x16, 0, 2, 0, 0, 0, 'M', 'R'};
    assertThatThrownBy(() -> DimseCommand.decode(group8))
        .isInstanceOfSatisfying(
            PduException.class, e -> assertThat(e.reason()).isEqualTo(PduReason.MALFORMED_DIMSE));
  }

  /**
   * Random bytes and random mutations of valid PDUs, seeded so a failure replays: the codec throws
   * nothing but {@link PduException} (the Jazzer fuzz test, {@code PduCodecFuzzTest}, searches
   * further with coverage guidance).
   */
  @Test
  void randomBytesAreReadOrRefusedWithAReason() {
    Random random = new Random(18);
    List<byte[]> valid = samples().stream().map(PduCodec::encode).toList();
    for (int i = 0; i < 50_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(300)];
        random.nextBytes(input);
        if (input.length > 0) {
          input[0] =
              (byte) (1 + random.nextInt(7)); // mostly known types, to get past the first byte
        }
      } else {
        input = valid.get(random.nextInt(valid.size())).clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          input = Arrays.copyOf(input, random.nextInt(input.length + 1));
        }
      }
      PduCodecFuzzTest.readOrRefuse(input);
    }
  }
}
