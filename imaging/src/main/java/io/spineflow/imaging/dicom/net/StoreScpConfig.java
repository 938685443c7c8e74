package io.spineflow.imaging.dicom.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How the C-STORE SCP listens and what it accepts.
 *
 * @param bindAddress the address to listen on
 * @param port the TCP port; 0 picks a free one ({@link StoreScp#port()} tells which)
 * @param calledAeTitles the AE titles the SCP answers to; {@value #ANY} alone accepts any called
 *     title. Another called title is rejected (A-ASSOCIATE-RJ permanent, source 1, reason 7).
 * @param callingAeTitles the AE titles allowed to associate; {@value #ANY} alone allows any.
 *     Another calling title is rejected (permanent, source 1, reason 3).
 * @param sopClasses the storage SOP classes accepted (Verification is always accepted)
 * @param maxPduLength the longest P-DATA-TF variable field the SCP receives (announced in the
 *     A-ASSOCIATE-AC; a longer PDU aborts the association)
 * @param maxAssociations associations served at once; one more is rejected (transient, source 3,
 *     reason 2: local limit exceeded) and beyond twice as many, connections are closed unanswered
 * @param artimTimeout ARTIM (PS3.8 9.1.5): longest wait for the A-ASSOCIATE-RQ after the connection
 *     (TLS handshake included), and for the peer to close after a release or rejection
 * @param idleTimeout longest silence within an association before the SCP aborts it
 * @param maxInstanceBytes longest data set of one C-STORE; a longer one is answered A700 (its bytes
 *     are read and dropped, so the association goes on)
 * @param tls null for plain TCP; else the port speaks only TLS 1.3/1.2 with this context's key
 * @param requireClientCertificate with TLS, whether the peer must present a certificate the
 *     context's trust managers accept (the DICOM TLS profile's mutual authentication)
 */
public record StoreScpConfig(
    InetAddress bindAddress,
    int port,
    Set<String> calledAeTitles,
    Set<String> callingAeTitles,
    Set<String> sopClasses,
    int maxPduLength,
    int maxAssociations,
    Duration artimTimeout,
    Duration idleTimeout,
    int maxInstanceBytes,
    SSLContext tls,
    boolean requireClientCertificate) {

  /** In an AE title list: any title. */
  public static final String ANY = "*";

  public static final String VERIFICATION = "1.2.840.10008.1.1";
  public static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
  public static final String ENHANCED_MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4.1";
  public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

  /**
   * The storage SOP classes spineflow takes: MR and Enhanced MR images, and Segmentation Storage,
   * the binary SEG a hospital returns as corrected labels of a series it was sent. Any other class
   * is refused at negotiation, which tells the sender at once, where one accepted and then refused
   * instance by instance fills the dead letters.
   */
  public static final Set<String> DEFAULT_SOP_CLASSES =
      Set.of(MR_IMAGE_STORAGE, ENHANCED_MR_IMAGE_STORAGE, SEGMENTATION_STORAGE);

  /** Smallest PDU length PS3.8 lets an acceptor announce usefully; dcmtk's minimum is 4096. */
  public static final int MIN_PDU_LENGTH = 4096;

  /** Largest PDU length announced: beyond 16 MiB one PDU only costs memory. */
  public static final int MAX_PDU_LENGTH = 16 << 20;

  public StoreScpConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    calledAeTitles = Set.copyOf(calledAeTitles);
    callingAeTitles = Set.copyOf(callingAeTitles);
    sopClasses = Set.copyOf(sopClasses);
    Objects.requireNonNull(artimTimeout, "artimTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (calledAeTitles.isEmpty() || callingAeTitles.isEmpty()) {
      throw new IllegalArgumentException("AE title lists must not be empty (use * for any)");
    }
    if (maxPduLength < MIN_PDU_LENGTH || maxPduLength > MAX_PDU_LENGTH) {
      throw new IllegalArgumentException(
          "maxPduLength must be "
              + MIN_PDU_LENGTH
              + "-"
              + MAX_PDU_LENGTH
              + ", got "
              + maxPduLength);
    }
    if (maxAssociations < 1 || maxInstanceBytes < 1) {
      throw new IllegalArgumentException("maxAssociations and maxInstanceBytes must be positive");
    }
    if (artimTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
  }

  /**
   * Loopback, plain TCP, called title {@code aeTitle}, any caller, the default SOP classes, 64 KiB
   * PDUs, 8 associations, 10 s ARTIM, 60 s idle, 256 MiB instances: tests and tools.
   */
  public static StoreScpConfig loopback(int port, String aeTitle) {
    return new StoreScpConfig(
        InetAddress.getLoopbackAddress(),
        port,
        Set.of(aeTitle),
        Set.of(ANY),
        DEFAULT_SOP_CLASSES,
        64 << 10,
        8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        256 << 20,
        null,
        false);
  }

  /** Whether {@code title} is a called AE title this SCP answers to. */
  public boolean answersTo(String title) {
    return calledAeTitles.contains(ANY) || calledAeTitles.contains(title);
  }

  /** Whether {@code title} may associate. */
  public boolean allowsCaller(String title) {
    return callingAeTitles.contains(ANY) || callingAeTitles.contains(title);
  }

  public StoreScpConfig withPort(int newPort) {
    return new StoreScpConfig(
        bindAddress,
        newPort,
        calledAeTitles,
        callingAeTitles,
        sopClasses,
        maxPduLength,
        maxAssociations,
        artimTimeout,
        idleTimeout,
        maxInstanceBytes,
        tls,
        requireClientCertificate);
  }

  public StoreScpConfig withCallingAeTitles(Set<String> titles) {
    return new StoreScpConfig(
        bindAddress,
        port,
        calledAeTitles,
        titles,
        sopClasses,
        maxPduLength,
        maxAssociations,
        artimTimeout,
        idleTimeout,
        maxInstanceBytes,
        tls,
        requireClientCertificate);
  }

  public StoreScpConfig withLimits(
      int associations, int instanceBytes, Duration artim, Duration idle) {
    return new StoreScpConfig(
        bindAddress,
        port,
        calledAeTitles,
        callingAeTitles,
        sopClasses,
        maxPduLength,
        associations,
        artim,
        idle,
        instanceBytes,
        tls,
        requireClientCertificate);
  }

  public StoreScpConfig withTls(SSLContext context, boolean clientCertificate) {
    return new StoreScpConfig(
        bindAddress,
        port,
        calledAeTitles,
        callingAeTitles,
        sopClasses,
        maxPduLength,
        maxAssociations,
        artimTimeout,
        idleTimeout,
        maxInstanceBytes,
        context,
        clientCertificate);
  }

  @Override
  public String toString() {
    return "StoreScpConfig["
        + bindAddress.getHostAddress()
        + ":"
        + port
        + ", called="
        + calledAeTitles
        + ", calling="
        + callingAeTitles
        + ", maxPdu="
        + maxPduLength
        + ", maxAssociations="
        + maxAssociations
        + ", artim="
        + artimTimeout
        + ", idle="
        + idleTimeout
        + ", maxInstanceBytes="
        + maxInstanceBytes
        + ", tls="
        + (tls != null)
        + (requireClientCertificate ? " (client certificate required)" : "")
        + "]";
  }
}
