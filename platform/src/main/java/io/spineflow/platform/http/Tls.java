package io.spineflow.platform.http;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for the HTTP servers, from a PKCS#12 keystore ({@code http.tls.keystore}) or a PEM
 * certificate chain and PKCS#8 key ({@code http.tls.cert} + {@code http.tls.key}), with the JDK
 * alone; and, for clients (tests, tools), an {@link SSLContext} that trusts one PEM certificate.
 * Every problem is a {@link ConfigException} naming the setting.
 */
public final class Tls {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  private Tls() {}

  /** The server context the settings configure; empty when no TLS setting is given. */
  public static Optional<SSLContext> serverContext(Settings settings) {
    return keyMaterial(settings)
        .map(k -> serverContext(k.store(), k.password(), k.setting(), null));
  }

  /**
   * The server context the settings configure, asking each client for a certificate signed by one
   * of the CA certificates of {@code clientCaPem} (mutual TLS, as the DICOM TLS profile has it);
   * empty when no TLS setting is given.
   *
   * @param clientCaSetting the setting that names {@code clientCaPem}, for error messages
   */
  public static Optional<SSLContext> serverContext(
      Settings settings, Path clientCaPem, String clientCaSetting) {
    List<X509Certificate> authorities;
    try {
      authorities = readCertificates(clientCaPem);
    } catch (ConfigException e) {
      // name the setting at fault, not http.tls.cert
      throw new ConfigException(
          clientCaSetting, e.getMessage().substring(e.setting().length() + 2));
    }
    TrustManager[] trust = trustManagers(authorities, clientCaSetting);
    return keyMaterial(settings)
        .map(k -> serverContext(k.store(), k.password(), k.setting(), trust));
  }

  private record KeyMaterial(KeyStore store, char[] password, String setting) {}

  private static Optional<KeyMaterial> keyMaterial(Settings settings) {
    String keystore = settings.string(CommonSettings.HTTP_TLS_KEYSTORE);
    String cert = settings.string(CommonSettings.HTTP_TLS_CERT);
    String key = settings.string(CommonSettings.HTTP_TLS_KEY);
    if (!keystore.isEmpty() && (!cert.isEmpty() || !key.isEmpty())) {
      throw new ConfigException(
          CommonSettings.HTTP_TLS_KEYSTORE.name(),
          "give either a PKCS#12 keystore or http.tls.cert with http.tls.key, not both");
    }
    if (!keystore.isEmpty()) {
      char[] password = settings.string(CommonSettings.HTTP_TLS_KEYSTORE_PASSWORD).toCharArray();
      return Optional.of(
          new KeyMaterial(
              loadPkcs12(Path.of(keystore), password),
              password,
              CommonSettings.HTTP_TLS_KEYSTORE.name()));
    }
    if (cert.isEmpty() != key.isEmpty()) {
      throw cert.isEmpty()
          ? new ConfigException(CommonSettings.HTTP_TLS_CERT.name(), "needed with http.tls.key")
          : new ConfigException(CommonSettings.HTTP_TLS_KEY.name(), "needed with http.tls.cert");
    }
    if (cert.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyMaterial(
            fromPem(Path.of(cert), Path.of(key)),
            NO_PASSWORD,
            CommonSettings.HTTP_TLS_CERT.name()));
  }

  /** Reads a PKCS#12 keystore that holds one private key with its chain. */
  public static KeyStore loadPkcs12(Path file, char[] password) {
    String setting = CommonSettings.HTTP_TLS_KEYSTORE.name();
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
    } catch (IOException e) {
      boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
      throw new ConfigException(
          setting,
          badPassword || Files.isReadable(file)
              ? "cannot read PKCS#12 keystore "
                  + file
                  + " (wrong http.tls.keystore.password, or not PKCS#12)"
              : "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException e) {
      throw new ConfigException(setting, "cannot read PKCS#12 keystore " + file + ": " + e);
    }
    try {
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new ConfigException(setting, file + " holds no private key");
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(setting, "cannot read PKCS#12 keystore " + file + ": " + e);
    }
    return store;
  }

  /** A keystore (in memory, no password) of a PEM certificate chain and its PKCS#8 key. */
  public static KeyStore fromPem(Path certFile, Path keyFile) {
    List<X509Certificate> chain = readCertificates(certFile);
    PrivateKey key = readPrivateKey(keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new ConfigException(
          CommonSettings.HTTP_TLS_KEY.name(),
          "the key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("spineflow", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          CommonSettings.HTTP_TLS_CERT.name(), "cannot use " + certFile + ": " + e);
    }
  }

  /** The certificates of a PEM file, in order (the server's first). */
  public static List<X509Certificate> readCertificates(Path file) {
    return readCertificates(file, CommonSettings.HTTP_TLS_CERT.name());
  }

  /** {@link #readCertificates(Path)}, problems naming {@code setting}. */
  public static List<X509Certificate> readCertificates(Path file, String setting) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(file, setting)) {
        if (block.label().equals("CERTIFICATE")) {
          chain.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(setting, file + " holds a certificate that cannot be read: " + e);
    }
    if (chain.isEmpty()) {
      throw new ConfigException(setting, file + " holds no BEGIN CERTIFICATE block");
    }
    return chain;
  }

  /** The PKCS#8 private key of a PEM file (RSA or EC), read with the JDK's {@link KeyFactory}. */
  public static PrivateKey readPrivateKey(Path file) {
    String setting = CommonSettings.HTTP_TLS_KEY.name();
    for (Block block : blocks(file, setting)) {
      switch (block.label()) {
        case "PRIVATE KEY" -> {
          return pkcs8(block.der(), file, setting);
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
            throw new ConfigException(
                setting,
                file
                    + " holds a "
                    + block.label()
                    + " (PKCS#1/SEC1); convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in KEY"
                    + " -out KEY.pk8");
        case "ENCRYPTED PRIVATE KEY" ->
            throw new ConfigException(
                setting,
                file
                    + " is encrypted; give an unencrypted PKCS#8 key (readable by the service only)"
                    + " or a PKCS#12 keystore with a password");
        default -> {
          // other blocks (a certificate in the same file) are not the key
        }
      }
    }
    throw new ConfigException(setting, file + " holds no BEGIN PRIVATE KEY block");
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String setting) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException(
        setting, file + " holds a private key that is not RSA, EC or Ed25519");
  }

  private record Block(String label, byte[] der) {}

  private static List<Block> blocks(Path file, String setting) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(
          setting, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(setting, file + " has a PEM block that is not Base64");
      }
    }
    if (blocks.isEmpty()) {
      throw new ConfigException(setting, file + " is not PEM (no -----BEGIN ...----- block)");
    }
    return blocks;
  }

  private static SSLContext serverContext(
      KeyStore store, char[] password, String setting, TrustManager[] trust) {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(setting, "the key cannot be used for TLS: " + e);
    }
  }

  /**
   * A client context for one instance of a service to call another: it trusts the JDK's CAs, the
   * certificate chain this server presents (instances that share a certificate, as a Kubernetes
   * Secret mounted into every replica, trust each other with no more configuration) and the
   * certificates of {@code extraPem} (a private CA), read naming {@code extraSetting}.
   */
  public static SSLContext peerClientContext(
      Settings settings, Optional<Path> extraPem, String extraSetting) {
    try {
      List<X509Certificate> trusted = new ArrayList<>();
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (TrustManager manager : jdk.getTrustManagers()) {
        if (manager instanceof javax.net.ssl.X509TrustManager x509) {
          trusted.addAll(List.of(x509.getAcceptedIssuers()));
        }
      }
      trusted.addAll(ownChain(settings));
      if (extraPem.isPresent()) {
        trusted.addAll(readCertificates(extraPem.get(), extraSetting));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(trusted, extraSetting), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the peer client's trust: " + e, e);
    }
  }

  /** The certificate chain the settings make this server present; empty without TLS. */
  private static List<X509Certificate> ownChain(Settings settings) throws GeneralSecurityException {
    String keystore = settings.string(CommonSettings.HTTP_TLS_KEYSTORE);
    String cert = settings.string(CommonSettings.HTTP_TLS_CERT);
    List<X509Certificate> chain = new ArrayList<>();
    if (!keystore.isEmpty()) {
      KeyStore store =
          loadPkcs12(
              Path.of(keystore),
              settings.string(CommonSettings.HTTP_TLS_KEYSTORE_PASSWORD).toCharArray());
      for (String alias : java.util.Collections.list(store.aliases())) {
        Certificate[] certificates = store.getCertificateChain(alias);
        if (certificates != null) {
          for (Certificate c : certificates) {
            chain.add((X509Certificate) c);
          }
        }
      }
    } else if (!cert.isEmpty()) {
      chain.addAll(readCertificates(Path.of(cert)));
    }
    return chain;
  }

  /** Trust managers that accept exactly the chains ending in one of {@code certificates}. */
  private static TrustManager[] trustManagers(List<X509Certificate> certificates, String setting) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (X509Certificate certificate : certificates) {
        trust.setCertificateEntry("trusted-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(setting, "cannot trust these certificates: " + e);
    }
  }

  /** A client context that trusts exactly the certificates of {@code pemFile} (a test, a tool). */
  public static SSLContext trusting(Path pemFile) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(readCertificates(pemFile), pemFile.toString()), null);
      return context;
    } catch (GeneralSecurityException | ConfigException e) {
      throw new IllegalStateException("cannot trust " + pemFile + ": " + e, e);
    }
  }

  /** PEM text of one DER object, 64 characters a line. */
  public static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /**
   * Writes {@code pair} as {@code cert.pem} (the certificate, for clients to trust) and {@code
   * key.pem} (PKCS#8, owner-only where the file system has POSIX permissions) into {@code dir}.
   */
  public static void writePem(SelfSignedCertificate.Pair pair, Path certFile, Path keyFile)
      throws IOException {
    Files.createDirectories(keyFile.toAbsolutePath().getParent());
    Files.deleteIfExists(keyFile);
    try {
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(keyFile);
    }
    Files.writeString(
        keyFile,
        pem("PRIVATE KEY", pair.keys().getPrivate().getEncoded()),
        StandardCharsets.US_ASCII);
    try {
      Files.writeString(
          certFile, pem("CERTIFICATE", pair.certificate().getEncoded()), StandardCharsets.US_ASCII);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
  }

  /**
   * Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's {@code
   * --ignore-certificate-errors-spki-list} takes to trust this one key and no other.
   */
  public static String spkiSha256(X509Certificate certificate) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
