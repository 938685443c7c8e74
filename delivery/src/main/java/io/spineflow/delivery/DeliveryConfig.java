package io.spineflow.delivery;

import io.spineflow.imaging.dicom.net.StoreTarget;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.StowRsClient;
import io.spineflow.platform.http.Tls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * delivery's configuration, checked at start-up: a bad setting stops the service with its name.
 *
 * @param targets none when neither target is configured (the service idles)
 */
record DeliveryConfig(
    List<Target> targets, RetryPolicy retry, Duration attemptTimeout, Path blobDir) {

  static DeliveryConfig from(Settings settings) {
    Duration connect = positive(settings, DeliverySettings.CONNECT_TIMEOUT);
    Duration read = positive(settings, DeliverySettings.READ_TIMEOUT);
    Optional<SSLContext> tls = Optional.empty();
    List<Target> targets = new ArrayList<>();
    String url = settings.string(DeliverySettings.STOW_URL);
    boolean dicomTls = settings.bool(DeliverySettings.DICOM_TLS);
    String host = settings.string(DeliverySettings.DICOM_HOST);
    if (url.startsWith("https:") || dicomTls && !host.isEmpty()) {
      String ca = settings.string(DeliverySettings.TLS_CA);
      tls =
          Optional.of(
              Tls.peerClientContext(
                  settings,
                  ca.isEmpty() ? Optional.empty() : Optional.of(Path.of(ca)),
                  DeliverySettings.TLS_CA.name()));
    }
    if (!url.isEmpty()) {
      try {
        targets.add(
            new Target.Stow(
                new StowRsClient(
                    URI.create(url),
                    settings.string(DeliverySettings.STOW_TOKEN),
                    tls.orElse(null),
                    connect,
                    read)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(DeliverySettings.STOW_URL.name(), e.getMessage());
      }
    }
    if (!host.isEmpty()) {
      targets.add(new Target.Dicom(dicomTarget(settings, host, dicomTls ? tls.get() : null)));
    }
    RetryPolicy retry = retry(settings);
    String dir = settings.string(DeliverySettings.BLOB_DIR);
    Path blobDir =
        dir.isEmpty() ? settings.path(CommonSettings.DATA_DIR).resolve("claims") : Path.of(dir);
    return new DeliveryConfig(targets, retry, connect.plus(read), blobDir.toAbsolutePath());
  }

  private static StoreTarget dicomTarget(Settings settings, String host, SSLContext tls) {
    int port = settings.integer(DeliverySettings.DICOM_PORT, 1, 65535);
    Duration connect = settings.duration(DeliverySettings.CONNECT_TIMEOUT);
    Duration read = settings.duration(DeliverySettings.READ_TIMEOUT);
    String calling = settings.string(DeliverySettings.DICOM_CALLING_AE);
    String called = settings.string(DeliverySettings.DICOM_CALLED_AE);
    try {
      return new StoreTarget(host, port, calling, called, tls, connect, read);
    } catch (IllegalArgumentException e) {
      String field =
          e.getMessage().startsWith("calling")
              ? DeliverySettings.DICOM_CALLING_AE.name()
              : e.getMessage().startsWith("called")
                  ? DeliverySettings.DICOM_CALLED_AE.name()
                  : DeliverySettings.DICOM_HOST.name();
      throw new ConfigException(field, e.getMessage());
    }
  }

  private static RetryPolicy retry(Settings settings) {
    int attempts = settings.integer(DeliverySettings.ATTEMPTS, 1, 100);
    Duration initial = settings.duration(DeliverySettings.BACKOFF_INITIAL);
    Duration max = settings.duration(DeliverySettings.BACKOFF_MAX);
    if (initial.isNegative()) {
      throw new ConfigException(DeliverySettings.BACKOFF_INITIAL.name(), "must not be negative");
    }
    if (max.compareTo(initial) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(
          DeliverySettings.BACKOFF_MAX.name(),
          "must be at least delivery.backoff.initial and at most 1h");
    }
    return new RetryPolicy(attempts, initial, max);
  }

  private static Duration positive(Settings settings, io.spineflow.platform.Setting setting) {
    Duration d = settings.duration(setting);
    if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(setting.name(), "must be more than 0 and at most 1h");
    }
    return d;
  }

  /**
   * The longest one event can take (every target, every attempt timing out, every wait): what the
   * consumer's max.poll.interval.ms must exceed, or the group would evict a busy instance.
   */
  Duration worstCase() {
    Duration perTarget = attemptTimeout.multipliedBy(retry.attempts()).plus(retry.totalDelay());
    return perTarget.multipliedBy(Math.max(1, targets.size()));
  }
}
