package io.spineflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.dicom.net.StoreScp;
import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C-STORE over TLS as delivery configures it (delivery.dicom.tls, delivery.tls.ca) to spineflow's
 * own SCP on a TLS port (loopback): stored when the receiver's certificate is trusted and names the
 * host; a certificate nobody trusts, or one naming another host, is a retryable connection failure
 * and nothing is stored.
 */
class DicomTlsDeliveryTest {
  private static final String AE = "PACS";

  @TempDir Path dir;
  private final List<DicomInstanceSink.ReceivedInstance> received = new CopyOnWriteArrayList<>();
  private StoreScp scp;
  private Path cert;

  @BeforeEach
  void startScp() throws Exception {
    cert = dir.resolve("pacs.crt");
    Path key = dir.resolve("pacs.key");
    Tls.writePem(
        SelfSignedCertificate.generate("pacs", List.of("localhost"), Duration.ofDays(1)),
        cert,
        key);
    SSLContext server =
        Tls.serverContext(
                Settings.of(
                    Map.of("http.tls.cert", cert.toString(), "http.tls.key", key.toString())))
            .orElseThrow();
    scp =
        new StoreScp(
            StoreScpConfig.loopback(0, AE).withTls(server, false),
            instance -> {
              received.add(instance);
              return DicomInstanceSink.Outcome.accepted();
            },
            event -> {});
    scp.start();
  }

  @AfterEach
  void stopScp() {
    scp.close();
  }

  private Target target(String host, boolean trustCa) {
    Map<String, String> values = new HashMap<>();
    values.put("delivery.dicom.host", host);
    values.put("delivery.dicom.port", Integer.toString(scp.port()));
    values.put("delivery.dicom.called.ae", AE);
    values.put("delivery.dicom.tls", "true");
    values.put("delivery.read.timeout", "5s");
    if (trustCa) {
      values.put("delivery.tls.ca", cert.toString());
    }
    List<Target> targets = DeliveryConfig.from(Settings.of(values)).targets();
    assertThat(targets).hasSize(1);
    return targets.get(0);
  }

  @Test
  void aTrustedReceiverNamingTheHostGetsTheSegmentation() throws Exception {
    SegmentationWriter.Written seg = SegmentationFiles.of("tls-study");

    assertThat(target("localhost", true).send(seg.part10())).isNull();

    assertThat(received).hasSize(1);
    assertThat(
            new DicomReader()
                .readFile(received.get(0).part10())
                .dataset()
                .string(DicomTag.SOP_INSTANCE_UID))
        .isEqualTo(seg.sopInstanceUid());
  }

  @Test
  void anUntrustedCertificateOrAnotherHostNameIsNotSentTo() throws Exception {
    byte[] part10 = SegmentationFiles.of("tls-study").part10();
    for (Target target : List.of(target("localhost", false), target("127.0.0.1", true))) {
      assertThatThrownBy(() -> target.send(part10))
          .isInstanceOfSatisfying(
              DeliveryFailure.class,
              f -> {
                assertThat(f.retryable()).isTrue();
                assertThat(f.getMessage()).startsWith("CONNECTION_FAILED");
              });
    }
    assertThat(received).isEmpty();
  }
}
