package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.platform.http.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's certificate: made once for the local names, kept across restarts, remade if damaged.
 */
class DemoCertificateTest {
  @TempDir Path dir;

  @Test
  void madeForTheLocalNamesKeptAcrossRestartsAndRemadeWhenDamaged() throws Exception {
    DemoCertificate first = DemoCertificate.unlessConfigured(dir);
    X509Certificate cert = Tls.readCertificates(first.cert()).get(0);
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(n -> n.get(1).toString())
        .contains("localhost", "127.0.0.1");
    Tls.fromPem(first.cert(), first.key()); // the key belongs to it
    String pem = Files.readString(first.cert());

    DemoCertificate again = DemoCertificate.unlessConfigured(dir);
    assertThat(Files.readString(again.cert())).as("kept across a restart").isEqualTo(pem);

    Files.writeString(first.key(), "damaged");
    DemoCertificate remade = DemoCertificate.unlessConfigured(dir);
    assertThat(Files.readString(remade.cert())).isNotEqualTo(pem);
    Tls.fromPem(remade.cert(), remade.key());
  }
}
