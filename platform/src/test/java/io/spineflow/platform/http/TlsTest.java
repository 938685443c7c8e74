package io.spineflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed certificate, PEM and PKCS#12 loading, and the errors an operator sees. */
class TlsTest {
  private static final SelfSignedCertificate.Pair PAIR =
      SelfSignedCertificate.generate(
          "spineflow test", List.of("localhost", "127.0.0.1", "::1"), Duration.ofDays(2));

  @TempDir Path dir;

  @Test
  void theSelfSignedCertificateIsAValidServerCertificateForItsNames() throws Exception {
    X509Certificate c = PAIR.certificate();
    c.checkValidity();
    c.verify(c.getPublicKey());
    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=spineflow test");
    assertThat(c.getSubjectAlternativeNames())
        .extracting(n -> n.get(1).toString())
        .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(c.getBasicConstraints()).isEqualTo(-1); // not a CA
    assertThat(c.getNotAfter().toInstant())
        .isBetween(
            java.time.Instant.now().plus(Duration.ofDays(2)).minus(Duration.ofHours(2)),
            java.time.Instant.now().plus(Duration.ofDays(2)));
  }

  @Test
  void aPemCertificateAndPkcs8KeyLoad() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Tls.writePem(PAIR, cert, key);
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    KeyStore store = Tls.fromPem(cert, key);
    assertThat(store.getCertificate("spineflow")).isEqualTo(PAIR.certificate());
    assertThat(store.getKey("spineflow", new char[0])).isEqualTo(PAIR.keys().getPrivate());
    assertThat(
            Tls.serverContext(
                Settings.of(
                    Map.of(
                        CommonSettings.HTTP_TLS_CERT.name(), cert.toString(),
                        CommonSettings.HTTP_TLS_KEY.name(), key.toString()))))
        .isPresent();
  }

  @Test
  void aPkcs12KeystoreLoadsWithItsPasswordOnly() throws Exception {
    Path p12 = writePkcs12("s3cret-pass".toCharArray());
    KeyStore store = Tls.loadPkcs12(p12, "s3cret-pass".toCharArray());
    assertThat(store.getCertificate("server")).isEqualTo(PAIR.certificate());
    assertThat(
            Tls.serverContext(
                Settings.of(
                    Map.of(
                        CommonSettings.HTTP_TLS_KEYSTORE.name(),
                        p12.toString(),
                        CommonSettings.HTTP_TLS_KEYSTORE_PASSWORD.name(),
                        "s3cret-pass"))))
        .isPresent();
    assertThatThrownBy(
            () ->
                Tls.serverContext(
                    Settings.of(
                        Map.of(
                            CommonSettings.HTTP_TLS_KEYSTORE.name(),
                            p12.toString(),
                            CommonSettings.HTTP_TLS_KEYSTORE_PASSWORD.name(),
                            "wrong"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.tls.keystore: cannot read PKCS#12 keystore")
        .hasMessageContaining("wrong http.tls.keystore.password")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void noTlsSettingMeansPlainHttp() {
    assertThat(Tls.serverContext(Settings.of(Map.of()))).isEmpty();
  }

  @Test
  void wrongTlsSettingsAreOneLineNamingTheSetting() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Tls.writePem(PAIR, cert, key);
    assertThatThrownBy(() -> settings(CommonSettings.HTTP_TLS_CERT, cert))
        .hasMessage("http.tls.key: needed with http.tls.cert");
    assertThatThrownBy(
            () ->
                Tls.serverContext(
                    Settings.of(
                        Map.of(
                            CommonSettings.HTTP_TLS_KEYSTORE.name(),
                            "a.p12",
                            CommonSettings.HTTP_TLS_CERT.name(),
                            cert.toString()))))
        .hasMessageStartingWith("http.tls.keystore: give either");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> Tls.readCertificates(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.tls.cert: cannot read " + missing + " (NoSuchFileException)");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThatThrownBy(() -> Tls.readPrivateKey(notPem))
        .hasMessage("http.tls.key: " + notPem + " is not PEM (no -----BEGIN ...----- block)");
    Path pkcs1 =
        Files.writeString(dir.resolve("rsa.pem"), Tls.pem("RSA PRIVATE KEY", new byte[] {1, 2}));
    assertThatThrownBy(() -> Tls.readPrivateKey(pkcs1))
        .hasMessageContaining("convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt");
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"), Tls.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}));
    assertThatThrownBy(() -> Tls.readPrivateKey(encrypted)).hasMessageContaining("is encrypted");
    // The certificate file given as the key: no key in it.
    assertThatThrownBy(() -> Tls.readPrivateKey(cert))
        .hasMessage("http.tls.key: " + cert + " holds no BEGIN PRIVATE KEY block");
  }

  @Test
  void spkiPinIsTheBase64Sha256OfThePublicKey() throws Exception {
    byte[] expected =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(PAIR.certificate().getPublicKey().getEncoded());
    assertThat(java.util.Base64.getDecoder().decode(Tls.spkiSha256(PAIR.certificate())))
        .isEqualTo(expected);
  }

  private Path writePkcs12(char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server", PAIR.keys().getPrivate(), password, new Certificate[] {PAIR.certificate()});
    Path p12 = dir.resolve("server.p12");
    try (OutputStream out = Files.newOutputStream(p12)) {
      store.store(out, password);
    }
    return p12;
  }

  private static void settings(io.spineflow.platform.Setting setting, Path value) {
    Tls.serverContext(Settings.of(Map.of(setting.name(), value.toString())));
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
