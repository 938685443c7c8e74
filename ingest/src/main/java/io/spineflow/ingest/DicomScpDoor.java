package io.spineflow.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.net.ScpEvent;
import io.spineflow.imaging.dicom.net.StoreScp;
import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.HttpOptions;
import io.spineflow.platform.http.Tls;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM door: a C-STORE SCP ({@link StoreScp}) on {@code ingest.dicom.port} that hands every
 * received instance to ingest's {@link DicomInstanceSink}. It logs and counts what the SCP does
 * (never a patient attribute: AE titles, addresses, reason codes), and dead-letters the instances
 * the SCP itself refuses before the sink sees them (too large, SOP class mismatch), so that every
 * bad instance ends as one dead letter. Meters: {@code spineflow_ingest_dicom_associations_total
 * {outcome}} and {@code spineflow_ingest_dicom_instances_total{status}} (hexadecimal C-STORE
 * status), besides {@code spineflow_ingest_studies_rejected_total{door="dicom"}}.
 */
final class DicomScpDoor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DicomScpDoor.class);

  /** The {@code door} tag of this door's rejections. */
  static final String DOOR = "dicom";

  /** How the door sends a dead letter (ingest: {@link UploadPublisher#publishDeadLetter}). */
  @FunctionalInterface
  interface DeadLetters {
    void publish(String key, DeadLetter letter) throws PublishException;
  }

  private final StoreScp scp;
  private final DeadLetters deadLetters;
  private final IngestMetrics metrics;
  private final MeterRegistry registry;

  DicomScpDoor(
      StoreScpConfig config,
      DicomInstanceSink sink,
      DeadLetters deadLetters,
      IngestMetrics metrics,
      MeterRegistry registry) {
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.scp = new StoreScp(config, sink, this::onEvent);
  }

  /**
   * The SCP's configuration from the {@code ingest.dicom.*} settings, or null when {@code
   * ingest.dicom.port} is empty (the door is off).
   *
   * @throws ConfigException naming the setting when one is out of range or TLS lacks a key
   */
  static StoreScpConfig config(Settings settings) {
    if (settings.string(DicomScpSettings.PORT).isEmpty()) {
      return null;
    }
    int port = settings.integer(DicomScpSettings.PORT, 0, 65535);
    SSLContext tls = null;
    boolean clientCertificate = false;
    if (settings.bool(DicomScpSettings.TLS)) {
      String clientCa = settings.string(DicomScpSettings.TLS_CLIENT_CA);
      clientCertificate = !clientCa.isEmpty();
      tls =
          (clientCertificate
                  ? Tls.serverContext(
                      settings, Path.of(clientCa), DicomScpSettings.TLS_CLIENT_CA.name())
                  : Tls.serverContext(settings))
              .orElseThrow(
                  () ->
                      new ConfigException(
                          DicomScpSettings.TLS.name(),
                          "needs a certificate and key: set http.tls.keystore, or http.tls.cert"
                              + " with http.tls.key"));
    }
    return new StoreScpConfig(
        HttpOptions.from(settings, 0).bindAddress(),
        port,
        titles(settings, DicomScpSettings.AE_TITLES),
        titles(settings, DicomScpSettings.CALLING_AE_TITLES),
        StoreScpConfig.DEFAULT_SOP_CLASSES,
        settings.integer(
            DicomScpSettings.MAX_PDU_BYTES,
            StoreScpConfig.MIN_PDU_LENGTH,
            StoreScpConfig.MAX_PDU_LENGTH),
        settings.integer(DicomScpSettings.MAX_ASSOCIATIONS, 1, 1000),
        positive(settings, DicomScpSettings.ARTIM_TIMEOUT),
        positive(settings, DicomScpSettings.IDLE_TIMEOUT),
        settings.integer(DicomScpSettings.MAX_INSTANCE_BYTES, 1 << 10, Integer.MAX_VALUE - 8),
        tls,
        clientCertificate);
  }

  /** A comma-separated list of AE titles: 1-16 characters of printable ASCII without backslash. */
  static Set<String> titles(Settings settings, io.spineflow.platform.Setting setting) {
    Set<String> titles = new LinkedHashSet<>();
    for (String raw : settings.string(setting).split(",")) {
      String title = raw.strip();
      if (title.isEmpty()) {
        continue;
      }
      boolean printable = title.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\');
      if (title.length() > 16 || !printable) {
        throw new ConfigException(
            setting.name(),
            "'"
                + LogSafe.text(title)
                + "' is not an AE title (1-16 printable ASCII characters, no"
                + " backslash)");
      }
      titles.add(title);
    }
    if (titles.isEmpty()) {
      throw new ConfigException(setting.name(), "must list at least one AE title, or * for any");
    }
    return titles;
  }

  private static java.time.Duration positive(Settings settings, io.spineflow.platform.Setting s) {
    java.time.Duration value = settings.duration(s);
    if (value.toMillis() < 1) {
      throw new ConfigException(s.name(), "must be positive, got " + value);
    }
    return value;
  }

  /**
   * Binds the port and starts accepting.
   *
   * @throws ConfigException naming {@code ingest.dicom.port} when it cannot be bound
   */
  void start() {
    StoreScpConfig config = scp.config();
    try {
      scp.start();
    } catch (BindException e) {
      throw new ConfigException(
          DicomScpSettings.PORT.name(),
          "port "
              + config.port()
              + " cannot be bound (in use, or below 1024 without root): "
              + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(
          DicomScpSettings.PORT.name(), "cannot listen on port " + config.port() + ": " + e);
    }
    LOG.info(
        "DICOM C-STORE SCP listening on {}:{} as {} (calling AE titles {}{})",
        config.bindAddress().getHostAddress(),
        scp.port(),
        config.calledAeTitles(),
        config.callingAeTitles(),
        config.tls() == null ? ", plain TCP" : ", TLS");
    if (config.callingAeTitles().contains(StoreScpConfig.ANY)) {
      LOG.warn(
          "{} is *: any sender that knows the AE title may store; list the scanners and PACS",
          DicomScpSettings.CALLING_AE_TITLES.name());
    }
  }

  int port() {
    return scp.port();
  }

  boolean alive() {
    return scp.alive();
  }

  int activeAssociations() {
    return scp.activeAssociations();
  }

  private void onEvent(ScpEvent event) {
    switch (event.kind()) {
      case ASSOCIATION_ACCEPTED, ASSOCIATION_RELEASED, ECHO, INSTANCE_STORED ->
          LOG.debug("{}", describe(event));
      case ASSOCIATION_REJECTED,
              PEER_ABORTED,
              CONNECTION_FAILED,
              OPERATION_REFUSED,
              INSTANCE_REFUSED ->
          LOG.info("{}", describe(event));
      case ASSOCIATION_ABORTED -> LOG.warn("{}", describe(event));
      case INSTANCE_REJECTED -> deadLetter(event);
    }
    count(event);
  }

  private void count(ScpEvent event) {
    switch (event.kind()) {
      case ASSOCIATION_ACCEPTED,
              ASSOCIATION_REJECTED,
              ASSOCIATION_ABORTED,
              PEER_ABORTED,
              CONNECTION_FAILED ->
          Counter.builder("spineflow.ingest.dicom.associations")
              .description("DICOM associations by outcome (accepted, or how they failed)")
              .tag(
                  "outcome",
                  event.kind() == ScpEvent.Kind.ASSOCIATION_ACCEPTED
                      ? "accepted"
                      : event.kind().name().toLowerCase(Locale.ROOT) + ":" + event.reasonCode())
              .register(registry)
              .increment();
      case INSTANCE_STORED, INSTANCE_REFUSED, INSTANCE_REJECTED ->
          Counter.builder("spineflow.ingest.dicom.instances")
              .description("C-STORE requests by the status answered")
              .tag("status", String.format("%04X", event.status()))
              .register(registry)
              .increment();
      default -> {
        // echoes and releases are not counted
      }
    }
  }

  /** An instance the SCP refused before the sink saw it: one dead letter, then the status. */
  private void deadLetter(ScpEvent event) {
    metrics.rejected(DOOR, event.reasonCode());
    Rejection rejection =
        new Rejection(event.reasonCode(), null, limit(event), event.message(), null);
    Origin origin =
        new Origin(null, null, null, "dicom://" + event.callingAe() + "@" + event.remote());
    try {
      deadLetters.publish(
          null, IngestEvents.deadLetter(null, rejection, origin, System.currentTimeMillis()));
    } catch (PublishException e) {
      LOG.error("{}; not dead-lettered: {}", describe(event), LogSafe.text(e.getMessage()));
      return;
    }
    LOG.info("{}; dead-lettered", describe(event));
  }

  private String limit(ScpEvent event) {
    return "INSTANCE_TOO_LARGE".equals(event.reasonCode())
        ? DicomScpSettings.MAX_INSTANCE_BYTES.name() + "=" + scp.config().maxInstanceBytes()
        : null;
  }

  /** One log line: AE titles, address, reason and status (no patient attribute ever reaches it). */
  private static String describe(ScpEvent event) {
    StringBuilder line =
        new StringBuilder("DICOM ")
            .append(event.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
            .append(" from ")
            .append(LogSafe.text(event.callingAe() == null ? "?" : event.callingAe()))
            .append('@')
            .append(event.remote());
    if (event.calledAe() != null) {
      line.append(" to ").append(LogSafe.text(event.calledAe()));
    }
    if (event.status() >= 0) {
      line.append(String.format(" status %04X", event.status()));
    }
    if (event.reasonCode() != null) {
      line.append(' ').append(event.reasonCode());
    }
    if (event.message() != null) {
      line.append(": ").append(LogSafe.text(event.message()));
    }
    return line.toString();
  }

  @Override
  public void close() {
    scp.close();
  }
}
