package io.spineflow.imaging.dicom.net;

import static io.spineflow.imaging.dicom.net.StoreScpConfig.ENHANCED_MR_IMAGE_STORAGE;
import static io.spineflow.imaging.dicom.net.StoreScpConfig.MR_IMAGE_STORAGE;
import static io.spineflow.imaging.dicom.net.StoreScpConfig.VERIFICATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.Pdu.AssociateReject;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.ScpEvent.Kind;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SCP against spineflow's own minimal SCU on loopback: negotiation, C-ECHO, C-STORE statuses,
 * rejections and aborts. The foreign client (dcmtk) is {@link StoreScpDcmtkIT}.
 */
class StoreScpTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
  private static final String IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;

  private static StoreScu connect(
      ScpFixture scp, String calling, String called, Pdu.ProposedContext... contexts)
      throws Exception {
    return StoreScu.connect(
        "127.0.0.1", scp.port(), calling, called, List.of(contexts), null, TIMEOUT);
  }

  private static StoreScu echoAssociation(ScpFixture scp) throws Exception {
    return connect(scp, "TESTSCU", ScpFixture.AE, StoreScu.context(1, VERIFICATION, IMPLICIT));
  }

  @Test
  void answersCEchoAndRelease() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu = echoAssociation(scp);
      assertThat(scu.accept().userInformation().maxPduLength()).isEqualTo(64 << 10);
      assertThat(scu.accept().userInformation().implementationClassUid())
          .isEqualTo(io.spineflow.imaging.dicom.Part10.IMPLEMENTATION_CLASS_UID);
      assertThat(scu.echo().status()).isEqualTo(0x0000);
      scu.release();
      await().atMost(TIMEOUT).until(() -> scp.hasEvent(Kind.ASSOCIATION_RELEASED, null));
      assertThat(scp.batchesEnded).containsExactly("TESTSCU");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "MR_small.dcm",
        "MR_small_implicit.dcm",
        "MR_small_bigendian.dcm",
        "MR_small_deflated.dcm",
        "MR_small_RLE.dcm",
        "MR_small_jpll_sv1.dcm",
        "MR_small_jpll_sv3.dcm",
        "enhanced_mr_6_1_rle.dcm",
        "sag_t1_0001.dcm"
      })
  void storesAnInstanceInItsOwnSyntaxAndTheSinkGetsAPart10FileWithTheSamePixels(String name)
      throws Exception {
    byte[] original = ScpFixture.vendored(name);
    DicomReader reader = new DicomReader();
    var file = reader.readFile(original);
    String sopClass = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID);
    String ts = file.transferSyntax().uid();
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu = connect(scp, "MODALITY1", ScpFixture.AE, StoreScu.context(1, sopClass, ts));
      assertThat(scu.store(original).status()).isEqualTo(0x0000);
      scu.release();
      assertThat(scp.received()).hasSize(1);
      var instance = scp.received().get(0);
      assertThat(instance.sender()).isEqualTo("MODALITY1");
      var received = reader.readFile(instance.part10());
      assertThat(received.transferSyntax().uid()).isEqualTo(ts);
      assertThat(received.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID))
          .isEqualTo(file.dataset().string(DicomTag.SOP_INSTANCE_UID));
      ScpFixture.assertSamePixels(original, instance.part10());
    }
  }

  @Test
  void negotiatesEachContextOnItsOwn() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu =
          connect(
              scp,
              "TESTSCU",
              ScpFixture.AE,
              StoreScu.context(1, MR_IMAGE_STORAGE, "1.2.840.10008.1.2.4.80", EXPLICIT),
              StoreScu.context(3, "1.2.840.10008.5.1.4.1.1.2", EXPLICIT), // CT Image Storage
              StoreScu.context(5, ENHANCED_MR_IMAGE_STORAGE, "1.2.840.10008.1.2.4.90"),
              StoreScu.context(7, MR_IMAGE_STORAGE, "1.2.3.4.5"),
              StoreScu.context(9, VERIFICATION, "1.2.840.10008.1.2.5", IMPLICIT),
              StoreScu.context(9, VERIFICATION, IMPLICIT),
              StoreScu.context(10, VERIFICATION, IMPLICIT));
      List<ContextResult> results = scu.accept().contexts();
      assertThat(results)
          .extracting(ContextResult::id, ContextResult::result)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, ContextResult.ACCEPTANCE),
              org.assertj.core.groups.Tuple.tuple(3, ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED),
              org.assertj.core.groups.Tuple.tuple(5, ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED),
              org.assertj.core.groups.Tuple.tuple(7, ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED),
              org.assertj.core.groups.Tuple.tuple(9, ContextResult.ACCEPTANCE),
              org.assertj.core.groups.Tuple.tuple(9, ContextResult.NO_REASON),
              org.assertj.core.groups.Tuple.tuple(10, ContextResult.NO_REASON));
      assertThat(results.get(0).transferSyntax()).as("JPEG-LS skipped").isEqualTo(EXPLICIT);
      assertThat(results.get(4).transferSyntax()).as("no encapsulated echo").isEqualTo(IMPLICIT);
      // The CT file cannot be sent on this association.
      assertThatThrownBy(() -> scu.store(ScpFixture.vendored("CT_small.dcm")))
          .hasMessageContaining("no accepted context");
      scu.release();
    }
  }

  @Test
  void rejectsAnUnknownCalledAeTitle() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      assertThatThrownBy(
              () -> connect(scp, "TESTSCU", "ORTHANC", StoreScu.context(1, VERIFICATION, IMPLICIT)))
          .isInstanceOfSatisfying(
              StoreScu.RejectedException.class,
              e ->
                  assertThat(e.reject())
                      .isEqualTo(
                          new AssociateReject(
                              AssociateReject.PERMANENT,
                              AssociateReject.SOURCE_USER,
                              AssociateReject.CALLED_AE_NOT_RECOGNIZED)));
      await()
          .atMost(TIMEOUT)
          .until(() -> scp.hasEvent(Kind.ASSOCIATION_REJECTED, "CALLED_AE_NOT_RECOGNIZED"));
    }
  }

  @Test
  void rejectsACallingAeTitleNotOnTheAllowList() throws Exception {
    StoreScpConfig config =
        StoreScpConfig.loopback(0, ScpFixture.AE).withCallingAeTitles(Set.of("MRI1", "PACS"));
    try (ScpFixture scp = new ScpFixture(config)) {
      assertThatThrownBy(
              () ->
                  connect(
                      scp, "INTRUDER", ScpFixture.AE, StoreScu.context(1, VERIFICATION, IMPLICIT)))
          .isInstanceOfSatisfying(
              StoreScu.RejectedException.class,
              e ->
                  assertThat(e.reject().reason())
                      .isEqualTo(AssociateReject.CALLING_AE_NOT_RECOGNIZED));
      StoreScu allowed =
          connect(scp, "MRI1", ScpFixture.AE, StoreScu.context(1, VERIFICATION, IMPLICIT));
      assertThat(allowed.echo().status()).isZero();
      allowed.release();
    }
  }

  @Test
  void rejectsTransientlyBeyondTheAssociationLimit() throws Exception {
    StoreScpConfig config =
        StoreScpConfig.loopback(0, ScpFixture.AE)
            .withLimits(1, 1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60));
    try (ScpFixture scp = new ScpFixture(config)) {
      StoreScu first = echoAssociation(scp);
      assertThatThrownBy(() -> echoAssociation(scp))
          .isInstanceOfSatisfying(
              StoreScu.RejectedException.class,
              e ->
                  assertThat(e.reject())
                      .isEqualTo(
                          new AssociateReject(
                              AssociateReject.TRANSIENT,
                              AssociateReject.SOURCE_PRESENTATION,
                              AssociateReject.LOCAL_LIMIT_EXCEEDED)));
      first.release();
      await().atMost(TIMEOUT).until(() -> scp.scp.activeAssociations() == 0);
      StoreScu next = echoAssociation(scp);
      assertThat(next.echo().status()).isZero();
      next.release();
    }
  }

  @Test
  void abortsOnAGarbagePduAndServesTheNextAssociation() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE));
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), scp.port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: spineflow\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(PduCodec.read(in, 1 << 16))
          .isEqualTo(
              new Pdu.Abort(Pdu.Abort.SOURCE_PROVIDER, PduReason.UNRECOGNIZED_PDU.abortReason()));
      assertThat(in.read()).as("closed after the abort").isEqualTo(-1);
      assertThat(scp.hasEvent(Kind.ASSOCIATION_ABORTED, "UNRECOGNIZED_PDU")).isTrue();

      StoreScu next = echoAssociation(scp);
      assertThat(next.echo().status()).isZero();
      next.release();
    }
  }

  @Test
  void abortsWhenNoAssociateRequestComesWithinArtim() throws Exception {
    StoreScpConfig config =
        StoreScpConfig.loopback(0, ScpFixture.AE)
            .withLimits(4, 1 << 20, Duration.ofMillis(300), Duration.ofSeconds(60));
    try (ScpFixture scp = new ScpFixture(config);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), scp.port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      assertThat(PduCodec.read(socket.getInputStream(), 1 << 16))
          .isEqualTo(new Pdu.Abort(Pdu.Abort.SOURCE_PROVIDER, 0));
      await().atMost(TIMEOUT).until(() -> scp.hasEvent(Kind.ASSOCIATION_ABORTED, "TIMEOUT"));
    }
  }

  @Test
  void abortsOnAPduLongerThanAnnounced() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu = echoAssociation(scp);
      // A P-DATA-TF header declaring 1 MiB, beyond the 64 KiB announced.
      scu.sendRaw(new byte[] {0x04, 0, 0, 0x10, 0, 0});
      assertThat(scu.readPdu())
          .isEqualTo(
              new Pdu.Abort(Pdu.Abort.SOURCE_PROVIDER, PduReason.PDU_TOO_LARGE.abortReason()));
      scu.close();
      assertThat(scp.hasEvent(Kind.ASSOCIATION_ABORTED, "PDU_TOO_LARGE")).isTrue();
    }
  }

  @Test
  void abortsOnAPdvForAContextNotAccepted() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu = echoAssociation(scp);
      scu.sendStoreCommand(3, MR_IMAGE_STORAGE, "1.2.3");
      assertThat(scu.readPdu()).isInstanceOf(Pdu.Abort.class);
      scu.close();
      assertThat(scp.hasEvent(Kind.ASSOCIATION_ABORTED, "UNKNOWN_PRESENTATION_CONTEXT")).isTrue();
      assertThat(scp.received()).isEmpty();
    }
  }

  @Test
  void answersA700ForAnInstanceAboveTheLimitAndGoesOn() throws Exception {
    StoreScpConfig config =
        StoreScpConfig.loopback(0, ScpFixture.AE)
            .withLimits(4, 4096, Duration.ofSeconds(10), Duration.ofSeconds(60));
    try (ScpFixture scp = new ScpFixture(config)) {
      StoreScu scu =
          connect(
              scp,
              "TESTSCU",
              ScpFixture.AE,
              StoreScu.context(1, MR_IMAGE_STORAGE, EXPLICIT),
              StoreScu.context(3, VERIFICATION, IMPLICIT));
      StoreScu.Response response = scu.store(ScpFixture.vendored("MR_small.dcm"));
      assertThat(response.status()).isEqualTo(0xA700);
      assertThat(response.errorComment()).startsWith("INSTANCE_TOO_LARGE").contains("4096");
      assertThat(scp.received()).isEmpty();
      assertThat(scp.hasEvent(Kind.INSTANCE_REJECTED, "INSTANCE_TOO_LARGE")).isTrue();
      assertThat(scu.echo().status()).as("the association goes on").isZero();
      scu.release();
    }
  }

  @Test
  void answersA900WhenTheDataSetIsNotOfTheCommandsSopClass() throws Exception {
    byte[] mr = ScpFixture.vendored("MR_small.dcm");
    byte[] dataset = java.util.Arrays.copyOfRange(mr, StoreScu.datasetOffset(mr), mr.length);
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu =
          connect(
              scp,
              "TESTSCU",
              ScpFixture.AE,
              StoreScu.context(1, ENHANCED_MR_IMAGE_STORAGE, EXPLICIT));
      scu.sendStoreCommand(1, ENHANCED_MR_IMAGE_STORAGE, "1.2.3.4");
      assertThat(scu.storeDataset(1, dataset).status()).isEqualTo(0xA900);
      scu.sendStoreCommand(1, MR_IMAGE_STORAGE, "1.2.3.4");
      assertThat(scu.storeDataset(1, dataset).status())
          .as("not the context's class")
          .isEqualTo(0x0122);
      scu.release();
      assertThat(scp.received()).isEmpty();
      assertThat(scp.hasEvent(Kind.INSTANCE_REJECTED, "SOP_CLASS_MISMATCH")).isTrue();
      assertThat(scp.hasEvent(Kind.INSTANCE_REJECTED, "SOP_CLASS_NOT_NEGOTIATED")).isTrue();
    }
  }

  @Test
  void answersTheSinksStatusAndReason() throws Exception {
    byte[] mr = ScpFixture.vendored("MR_small.dcm");
    List<Outcome> answers =
        List.of(
            Outcome.refused("NOT_SAGITTAL", "ImageOrientationPatient (0020,0037)", "axial series"),
            Outcome.unavailable("Kafka is not reachable"));
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ScpFixture scp =
        new ScpFixture(
            StoreScpConfig.loopback(0, ScpFixture.AE),
            i -> {
              int n = next.getAndIncrement();
              if (n == 2) {
                throw new IllegalStateException("a bug in the sink");
              }
              return answers.get(n);
            })) {
      StoreScu scu =
          connect(scp, "TESTSCU", ScpFixture.AE, StoreScu.context(1, MR_IMAGE_STORAGE, EXPLICIT));
      StoreScu.Response refused = scu.store(mr);
      assertThat(refused.status()).isEqualTo(0xC000);
      assertThat(refused.errorComment()).isEqualTo("NOT_SAGITTAL: axial series");
      assertThat(scu.store(mr).status()).isEqualTo(0xA700);
      assertThat(scu.store(mr).status()).isEqualTo(0x0110);
      scu.release();
      assertThat(scp.received()).hasSize(3);
      assertThat(scp.scp.alive()).isTrue();
    }
  }

  @Test
  void answersUnrecognizedOperationForOtherRequests() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, ScpFixture.AE))) {
      StoreScu scu = echoAssociation(scp);
      // C-FIND-RQ (0020H) without a data set
      byte[] find = DimseCommand.request(0x0020, 7, VERIFICATION, null, false).encode();
      scu.sendRaw(PduCodec.encode(new Pdu.PData(List.of(new Pdu.Pdv(1, true, true, find)))));
      Pdu answer = scu.readPdu();
      assertThat(answer).isInstanceOf(Pdu.PData.class);
      DimseCommand rsp = DimseCommand.decode(((Pdu.PData) answer).pdvs().get(0).data());
      assertThat(rsp.commandField()).isEqualTo(0x8020);
      assertThat(rsp.messageIdBeingRespondedTo()).isEqualTo(7);
      assertThat(rsp.status()).isEqualTo(0x0211);
      scu.release();
    }
  }
}
