package io.spineflow.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Health;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.StreamsRunner;
import io.spineflow.platform.http.BearerToken;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: accepts studies through three doors and publishes each valid one once.
 *
 * <ul>
 *   <li>Consumes {@code studies.upload} (key: study UID; value: raw {@code .mha} bytes, metadata in
 *       {@code spineflow.*} headers, see {@link UploadHeaders}).
 *   <li>Produces {@code studies} (key: study UID; value: {@link io.spineflow.events.Study}, large
 *       volumes by claim check) and {@code deadletter} (key: the original key; value: {@link
 *       io.spineflow.events.DeadLetter}), exactly-once through {@link IngestTopology}.
 *   <li>Produces {@code studies.upload} from its own doors: {@code POST /studies} on its HTTP port
 *       ({@link #routes()}), the watched folder and, when {@code ingest.dicom.port} is set, the
 *       DICOM C-STORE SCP ({@link DicomScpDoor}); their rejections go straight to {@code
 *       deadletter}.
 * </ul>
 *
 * Health is up while Kafka Streams runs (or rebalances) and the folder watcher is alive.
 */
public final class IngestService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  public static final String NAME = "ingest";
  public static final int DEFAULT_HTTP_PORT = 8081;

  /** The HTTP upload route. */
  public static final String UPLOAD_ROUTE = "/studies";

  /** The DICOMweb STOW-RS route. */
  public static final String STOW_RS_ROUTE = StowRsDoor.ROUTE;

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final ServiceContext context;
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final ClaimCheckStore claims;
  private final StudyValidator validator;

  /** Null when the DICOM door is off. */
  private final StoreScpConfig dicomConfig;

  private final DeidentificationConfig deidentification;

  private KafkaProducer<String, byte[]> producer;
  private KafkaClientMetrics producerMetrics;
  private volatile StreamsRunner streams;
  private volatile FolderWatcher watcher;
  private volatile HttpUploadDoor door;
  private volatile StowRsDoor stowRs;
  private volatile DicomIntakeSink dicomIntake;
  private volatile DicomScpDoor dicomDoor;
  private volatile boolean closed;

  public IngestService(ServiceContext context, IngestConfig config) {
    this.context = Objects.requireNonNull(context, "context");
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = new IngestMetrics(context.metrics());
    this.claims = ClaimCheckStore.open(context.settings(), config.claimsDir());
    this.validator = new StudyValidator(config.imageLimits(), config.geometryTolerance());
    this.dicomConfig = DicomScpDoor.config(context.settings());
    this.deidentification = DeidentificationConfig.from(context.settings());
  }

  /**
   * The service configured from {@code context.settings()}.
   *
   * @throws io.spineflow.platform.ConfigException naming the setting when one is missing or wrong
   *     (e.g. no {@code ingest.token})
   */
  public static IngestService create(ServiceContext context) {
    return new IngestService(context, IngestConfig.from(context.settings(), context.dataDir()));
  }

  /**
   * The topics ingest creates at start-up: {@code studies.upload}, {@code studies}, {@code
   * deadletter}.
   */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.studiesUpload(), topics.studies(), topics.deadletter(), topics.audit());
  }

  /** The Kafka Streams application id: one per topic prefix. */
  public String applicationId() {
    return context.topics().prefix() + "spineflow-" + NAME;
  }

  /**
   * What the DICOM reader accepts at ingest: the codec's defaults, with the decoded size of one
   * instance bounded by {@code ingest.max.decoded.bytes}.
   */
  static DicomLimits dicomLimits(IngestConfig config) {
    DicomLimits d = DicomLimits.DEFAULT;
    return new DicomLimits(
        d.maxInputBytes(),
        d.maxElementBytes(),
        d.maxDepth(),
        d.maxItems(),
        d.maxFrames(),
        Math.min(d.maxDecodedBytes(), config.imageLimits().maxDecodedBytes()));
  }

  /**
   * Where the C-STORE SCP hands received instances (see {@code DicomInstanceSink}); null until
   * {@link #start()} has run.
   */
  public DicomInstanceSink dicomSink() {
    return dicomIntake;
  }

  /** The topology this service runs. */
  public Topology topology() {
    return IngestTopology.buildTopology(
        config,
        context.topics(),
        claims,
        metrics,
        context.settings().duration(CommonSettings.DEDUP_RETENTION));
  }

  /**
   * The HTTP routes to serve beside {@code /health} and {@code /metrics}: {@value #UPLOAD_ROUTE}.
   * Until {@link #start()} has run, the route answers 503.
   */
  public Map<String, HttpHandler> routes() {
    return Map.of(
        UPLOAD_ROUTE,
        exchange -> handleOrRefuse(exchange, door),
        STOW_RS_ROUTE,
        exchange -> handleOrRefuse(exchange, stowRs));
  }

  private static void handleOrRefuse(HttpExchange exchange, HttpHandler current)
      throws IOException {
    if (current == null) {
      try (exchange) {
        OpsServer.respondJson(
            exchange, 503, Map.of("reasonCode", "NOT_STARTED", "message", "ingest is not running"));
      }
      return;
    }
    current.handle(exchange);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      return;
    }
    prepareDirectories();
    try {
      startClients();
    } catch (RuntimeException e) {
      close(); // nothing half-started is left behind
      throw e;
    }
  }

  private void startClients() {
    producer =
        new KafkaProducer<>(
            context
                .kafka()
                .producer(applicationId() + "-doors", null, IngestTopology.MAX_RECORD_BYTES),
            new StringSerializer(),
            new ByteArraySerializer());
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(context.metrics());
    UploadPublisher publisher =
        new UploadPublisher(
            producer, context.topics(), claims, config.uploadInlineMaxBytes(), ACK_TIMEOUT);

    streams =
        new StreamsRunner(
            context,
            StreamsRunner.properties(
                context,
                applicationId(),
                context.serviceDir().resolve("streams"),
                IngestTopology.MAX_RECORD_BYTES));
    streams.start(topology());

    Quarantine quarantine = new Quarantine(context.serviceDir().resolve("quarantine"));
    AuditPublisher audit = new AuditPublisher(producer, context.topics(), NAME);
    BearerToken bearer = new BearerToken(config.token());
    DicomInstances dicom = new DicomInstances(dicomLimits(config));
    // De-identification (when on) decorates the intake, so every door below goes through it.
    DicomIntakeSink intake =
        DeidentifyingIntake.wrap(
            new DicomIntake(dicom, publisher, quarantine, metrics),
            dicom.reader(),
            deidentification);
    dicomIntake = intake;
    door =
        new HttpUploadDoor(
            bearer, config.httpMaxRequestBytes(), validator, publisher, quarantine, metrics, audit);
    stowRs =
        new StowRsDoor(
            bearer, config.httpMaxRequestBytes(), intake, dicom.reader(), metrics, audit);
    if (dicomConfig != null) {
      DicomScpDoor scp =
          new DicomScpDoor(
              dicomConfig, intake, publisher::publishDeadLetter, metrics, context.metrics());
      scp.start();
      dicomDoor = scp;
    }
    if (config.watchDir() != null) {
      FolderWatcher folder =
          new FolderWatcher(
              config.watchDir(),
              config.watchInterval(),
              config.pairingTimeout(),
              validator,
              publisher,
              metrics,
              Clock.systemUTC(),
              intake);
      folder.start();
      watcher = folder;
    }
  }

  /**
   * Creates the local directories before any Kafka client starts, so a wrong path is a one-line
   * configuration error rather than a half-started service.
   */
  private void prepareDirectories() {
    create(config.claimsDir(), IngestSettings.CLAIMS_DIR.name());
    create(context.serviceDir().resolve("quarantine"), CommonSettings.DATA_DIR.name());
    if (config.watchDir() != null) {
      create(config.watchDir().resolve(FolderWatcher.DONE), IngestSettings.WATCH_DIR.name());
      create(config.watchDir().resolve(FolderWatcher.FAILED), IngestSettings.WATCH_DIR.name());
    }
  }

  private static void create(Path directory, String setting) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ConfigException(setting, "cannot create directory " + directory + " (" + e + ")");
    }
    if (!Files.isWritable(directory)) {
      throw new ConfigException(setting, "directory " + directory + " is not writable");
    }
  }

  @Override
  public Health health() {
    StreamsRunner current = streams;
    if (current == null) {
      return Health.down(closed ? "STOPPED" : "STARTING", closed ? "closed" : "not started");
    }
    FolderWatcher folder = watcher;
    boolean watcherUp = folder == null || folder.alive();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("folder", folder == null ? "disabled" : folder.alive() ? "watching" : "stopped");
    if (folder != null) {
      details.put("watchDir", folder.inbox().toString());
    }
    details.put("http", door == null ? "starting" : "ready");
    DicomScpDoor scp = dicomDoor;
    boolean dicomUp = scp == null || scp.alive();
    if (dicomConfig == null) {
      details.put("dicom", "disabled");
    } else if (scp != null) {
      details.put("dicom", scp.alive() ? "listening on port " + scp.port() : "stopped");
      details.put("dicomAssociations", scp.activeAssociations());
    }
    Health streamsHealth = current.health(details);
    if (streamsHealth.up() && !(watcherUp && dicomUp)) {
      return new Health(false, "ERROR", streamsHealth.details());
    }
    return streamsHealth;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    door = null;
    stowRs = null;
    dicomIntake = null;
    if (dicomDoor != null) {
      dicomDoor.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    if (streams != null) {
      streams.close();
    }
    if (producer != null) {
      producer.close(CLOSE_TIMEOUT);
    }
    claims.close();
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    LOG.info("ingest stopped");
  }

  /** The DICOM door's bound port, empty when it is off or not started. */
  public OptionalInt dicomPort() {
    DicomScpDoor scp = dicomDoor;
    return scp == null ? OptionalInt.empty() : OptionalInt.of(scp.port());
  }
}
