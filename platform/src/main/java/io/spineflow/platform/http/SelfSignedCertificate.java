package io.spineflow.platform.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A self-signed RSA-2048 / SHA256withRSA X.509 v3 certificate for the demo's HTTPS, with the
 * subject alternative names clients check (DNS names and IP addresses), {@code serverAuth} and no
 * CA rights.
 *
 * <p>Why a small DER encoder here rather than running {@code keytool -genkeypair}: the JDK has no
 * public API for certificates, but the encoding needed is a fixed tree of a dozen nodes, while
 * {@code keytool} is a separate program that a {@code jlink}ed or trimmed runtime may not carry,
 * that costs a process start, and whose failures come back as text to parse. The result is checked
 * by the JDK itself: {@link CertificateFactory} parses it and it verifies with its own key.
 */
public final class SelfSignedCertificate {
  private static final int[] SHA256_WITH_RSA = {1, 2, 840, 113549, 1, 1, 11};
  private static final int[] COMMON_NAME = {2, 5, 4, 3};
  private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};
  private static final int[] BASIC_CONSTRAINTS = {2, 5, 29, 19};
  private static final int[] EXTENDED_KEY_USAGE = {2, 5, 29, 37};
  private static final int[] SERVER_AUTH = {1, 3, 6, 1, 5, 5, 7, 3, 1};

  private SelfSignedCertificate() {}

  /** A key pair and its certificate. */
  public record Pair(KeyPair keys, X509Certificate certificate) {}

  /**
   * Generates a fresh key pair and a certificate valid from an hour ago (clock skew) for {@code
   * validity}.
   *
   * @param commonName the subject and issuer CN, e.g. {@code spineflow demo}
   * @param hosts DNS names and IP literals the certificate is valid for, e.g. {@code localhost},
   *     {@code 127.0.0.1}
   */
  public static Pair generate(String commonName, List<String> hosts, Duration validity) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      Instant from = Instant.now().minus(Duration.ofHours(1));
      byte[] name = name(commonName);
      byte[] algorithm = sequence(oid(SHA256_WITH_RSA), new byte[] {0x05, 0x00});
      byte[] tbs =
          sequence(
              tlv(0xA0, integer(BigInteger.TWO)), // [0] EXPLICIT version v3
              integer(new BigInteger(1, randomBytes(16))),
              algorithm,
              name,
              sequence(time(from), time(from.plus(validity))),
              name,
              keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
              tlv(0xA3, sequence(subjectAltName(hosts), basicConstraints(), serverAuth())));
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] der = sequence(tbs, algorithm, bitString(signer.sign()));
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      certificate.verify(keys.getPublic());
      return new Pair(keys, certificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
    }
  }

  private static byte[] name(String commonName) {
    byte[] cn = tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)); // UTF8String
    return sequence(tlv(0x31, sequence(oid(COMMON_NAME), cn))); // SEQUENCE { SET { ATV } }
  }

  private static byte[] subjectAltName(List<String> hosts) {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    for (String host : hosts) {
      byte[] entry =
          isIpLiteral(host)
              ? tlv(0x87, address(host)) // [7] iPAddress
              : tlv(0x82, host.getBytes(StandardCharsets.US_ASCII)); // [2] dNSName
      names.writeBytes(entry);
    }
    return extension(SUBJECT_ALT_NAME, false, tlv(0x30, names.toByteArray()));
  }

  private static byte[] basicConstraints() {
    return extension(BASIC_CONSTRAINTS, true, sequence()); // cA FALSE (the default, so empty)
  }

  private static byte[] serverAuth() {
    return extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH)));
  }

  private static byte[] extension(int[] id, boolean critical, byte[] value) {
    return critical
        ? sequence(oid(id), new byte[] {0x01, 0x01, (byte) 0xFF}, tlv(0x04, value))
        : sequence(oid(id), tlv(0x04, value));
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  private static byte[] time(Instant at) {
    // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    boolean utc = at.atZone(ZoneOffset.UTC).getYear() < 2050;
    String text =
        DateTimeFormatter.ofPattern(utc ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(at);
    return tlv(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    bytes[0] &= 0x7F;
    bytes[0] |= 0x01; // positive and non-zero, at most 20 octets
    return bytes;
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] bitString(byte[] bits) {
    byte[] content = new byte[bits.length + 1]; // leading 0: no unused bits
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int groups = 1;
      for (int v = arc >>> 7; v > 0; v >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        out.write(((arc >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return tlv(0x30, out.toByteArray());
  }

  /** One DER node: tag, definite length (short or long form), content. */
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    try {
      out.write(content);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
