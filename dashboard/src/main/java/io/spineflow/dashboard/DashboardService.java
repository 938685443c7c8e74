package io.spineflow.dashboard;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.spineflow.dashboard.web.DashboardHttp;
import io.spineflow.dashboard.web.RetrainAction;
import io.spineflow.dashboard.web.ViewerAccess;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.RetrainRequest;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.platform.StreamsRunner;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.platform.http.BearerToken;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard service: what operators and imaging researchers watch. Aggregates the pipeline's
 * events in Kafka Streams ({@link DashboardTopology}), serves the page and its API ({@link
 * DashboardHttp}), raises drift alerts ({@link DriftRules}) and lets an operator ask for a retrain.
 *
 * <ul>
 *   <li>Consumes {@code quality} and {@code masks} (key: studyUid/sliceIndex; {@link
 *       io.spineflow.events.Quality}, {@link io.spineflow.events.Mask}), {@code slices} (same key,
 *       {@link io.spineflow.events.Slice}; only for the gallery's pictures), {@code models} and
 *       {@code training} (key: model name; {@link io.spineflow.events.ModelAnnouncement}, {@link
 *       io.spineflow.events.TrainingProgress}) and {@code deadletter} (key: the original key;
 *       {@link io.spineflow.events.DeadLetter}).
 *   <li>Produces {@code retrain} (key: model name; {@link RetrainRequest}): origin DASHBOARD from
 *       "Retrain now" (one per click), origin DRIFT_ALERT from the drift monitor (at most one per
 *       model version and alert kind, exactly-once with the alert).
 * </ul>
 *
 * Health is up while Kafka Streams runs (or rebalances). Metrics: Kafka Streams and producer
 * metrics, and {@code spineflow_dashboard_drift_alerts{kind}}, the active drift alerts.
 */
public final class DashboardService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardService.class);

  public static final String NAME = "dashboard";
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** The drift alert gauge's name (Prometheus: {@code spineflow_dashboard_drift_alerts}). */
  public static final String DRIFT_ALERTS_METRIC = "spineflow.dashboard.drift.alerts";

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

  private final ServiceContext context;
  private final DashboardConfig config;
  private final GalleryImages images = new GalleryImages();
  private final DashboardHttp http;
  private final PeerConfig peers;
  private final String viewerToken;

  private volatile StreamsRunner streams;
  private volatile DashboardQueries queries;
  private volatile BlobStore blobs;
  private KafkaProducer<String, RetrainRequest> producer;
  private KafkaClientMetrics producerMetrics;
  private AuditPublisher auditPublisher;
  private volatile boolean closed;

  /**
   * @param viewerToken the token that opens the page, the API and the images (and that instances
   *     present to each other)
   * @param peers how instances find each other; {@link PeerConfig#SINGLE} for one instance
   */
  public DashboardService(
      ServiceContext context, DashboardConfig config, String viewerToken, PeerConfig peers) {
    this.context = Objects.requireNonNull(context, "context");
    this.config = Objects.requireNonNull(config, "config");
    this.viewerToken = Objects.requireNonNull(viewerToken, "viewerToken");
    this.peers = Objects.requireNonNull(peers, "peers");
    RetrainAction retrain =
        new RetrainAction(
            config.retrainActionEnabled() ? new BearerToken(config.operatorToken()) : null,
            this::publish,
            this::audit,
            this::retrainableModels,
            config.defaultModelName(),
            Clock.systemUTC());
    this.http =
        new DashboardHttp(
            () -> Optional.ofNullable(queries),
            () -> streams == null ? "NOT_STARTED" : streams.state(),
            images,
            retrain,
            new ViewerAccess(new BearerToken(viewerToken)),
            config.chartSpan(),
            config.retention(),
            () -> Optional.ofNullable(blobs));
  }

  /**
   * The service configured from {@code context.settings()}.
   *
   * @throws io.spineflow.platform.ConfigException naming the setting when one is wrong
   */
  public static DashboardService create(ServiceContext context) {
    return new DashboardService(
        context,
        DashboardConfig.from(context.settings()),
        viewerToken(context.settings()),
        PeerConfig.from(context.settings()));
  }

  /**
   * The required viewer token.
   *
   * @throws ConfigException one line naming {@code dashboard.viewer.token} when it is missing or
   *     shorter than {@value DashboardConfig#MIN_TOKEN_LENGTH} characters
   */
  static String viewerToken(Settings settings) {
    String token = settings.string(DashboardSettings.VIEWER_TOKEN);
    if (token.isEmpty()) {
      throw new ConfigException(
          DashboardSettings.VIEWER_TOKEN.name(),
          "required (or "
              + DashboardSettings.VIEWER_TOKEN.envVar()
              + "): the dashboard shows MRI slices and study UIDs only to holders of a token,"
              + " e.g. from `openssl rand -hex 24`");
    }
    if (token.length() < DashboardConfig.MIN_TOKEN_LENGTH) {
      throw new ConfigException(
          DashboardSettings.VIEWER_TOKEN.name(),
          "must have at least " + DashboardConfig.MIN_TOKEN_LENGTH + " characters");
    }
    return token;
  }

  /** The topics the dashboard creates at start-up: {@code retrain}, the only one it produces. */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.retrain(), topics.audit());
  }

  /** The Kafka Streams application id: one per topic prefix. */
  public String applicationId() {
    return context.topics().prefix() + "spineflow-" + NAME;
  }

  /** The topology this service runs. */
  public Topology topology() {
    return DashboardTopology.buildTopology(config, context.topics());
  }

  /**
   * The HTTP routes beside {@code /health} and {@code /metrics}: the page and its API under /, and
   * with {@code dashboard.advertised.url} the store partitions for the other instances ({@value
   * PeerClient#PATH}).
   */
  public Map<String, HttpHandler> routes() {
    if (!peers.federated()) {
      return http.routes();
    }
    Map<String, HttpHandler> routes = new java.util.HashMap<>(http.routes());
    routes.put(
        PeerClient.PATH,
        new PeerStoreHandler(new LocalStores(this::kafkaStreams), new BearerToken(viewerToken)));
    return routes;
  }

  private org.apache.kafka.streams.KafkaStreams kafkaStreams() {
    StreamsRunner current = streams;
    return current == null ? null : current.streams();
  }

  /** The store access the page reads: every instance's partitions, or this one's when alone. */
  private StoreAccess storeAccess() {
    LocalStores local = new LocalStores(this::kafkaStreams);
    if (!peers.federated()) {
      return local;
    }
    javax.net.ssl.SSLContext tls =
        peers.scheme().equals("https")
            ? io.spineflow.platform.http.Tls.peerClientContext(
                context.settings(), peers.trust(), DashboardSettings.PEER_TRUST.name())
            : null;
    return new PeerStores(
        local, peers.self().orElseThrow(), new PeerClient(peers.scheme(), tls, viewerToken));
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The topics the dashboard reads are created by the services that write them, so its start-up
   * provisioning (its own topics) would not check them; yet its gallery needs {@code slices},
   * {@code masks} and {@code quality} co-partitioned, and its drift monitor {@code models} and
   * {@code training} in one partition. Those that exist are checked here: a wrong one stops the
   * dashboard with one line before Streams starts.
   */
  private void verifySources() {
    Topics topics = context.topics();
    try (Admin admin = Admin.create(context.kafka().admin())) {
      new TopicProvisioner(admin, context.replicationFactor())
          .verifyExisting(
              List.of(
                  topics.quality(),
                  topics.masks(),
                  topics.slices(),
                  topics.models(),
                  topics.training(),
                  topics.deadletter(),
                  topics.segmentations()));
    }
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      return;
    }
    LOG.info(
        "dashboard starting with {}; {}",
        config,
        peers
            .advertised()
            .map(u -> "advertised at " + u + " to the other instances")
            .orElse("one instance (no dashboard.advertised.url)"));
    verifySources();
    producer =
        new KafkaProducer<>(
            context.kafka().producer(applicationId() + "-retrain", null, 1 << 20),
            context.topics().retrain().keySerde().serializer(),
            context.topics().retrain().valueSerde().serializer());
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(context.metrics());
    auditPublisher = AuditPublisher.create(context);
    blobs = BlobStores.open(context.settings(), blobsDir(context.settings()));

    java.util.Properties properties =
        StreamsRunner.properties(
            context,
            applicationId(),
            context.serviceDir().resolve("streams"),
            DashboardTopology.MAX_RECORD_BYTES);
    // Each instance tells the others where it answers, so they can fetch its partitions.
    peers
        .applicationServer()
        .ifPresent(server -> properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server));
    StreamsRunner runner = new StreamsRunner(context, properties);
    streams = runner;
    Topology topology = topology();
    queries = new DashboardQueries(storeAccess(), config, Clock.systemUTC());
    for (AlertKind kind : AlertKind.values()) {
      Gauge.builder(DRIFT_ALERTS_METRIC, this, s -> s.activeAlerts(kind))
          .description("Drift alerts whose condition holds now, by kind")
          .tag("kind", kind.tag())
          .register(context.metrics());
    }
    runner.start(topology);
  }

  /**
   * {@code dashboard.blobs.dir}, or {@code <data.dir>/claims} (where ingest's and results' file
   * blob store is by default).
   */
  static java.nio.file.Path blobsDir(Settings settings) {
    String dir = settings.string(DashboardSettings.BLOBS_DIR);
    return dir.isEmpty()
        ? settings.path(io.spineflow.platform.CommonSettings.DATA_DIR).resolve("claims")
        : java.nio.file.Path.of(dir);
  }

  /** The ids of the tasks active on this instance (which partitions it holds), for tests. */
  java.util.Set<String> activeTasks() {
    org.apache.kafka.streams.KafkaStreams current = kafkaStreams();
    java.util.Set<String> tasks = new java.util.TreeSet<>();
    if (current != null) {
      current
          .metadataForLocalThreads()
          .forEach(t -> t.activeTasks().forEach(task -> tasks.add(task.taskId().toString())));
    }
    return tasks;
  }

  private double activeAlerts(AlertKind kind) {
    DashboardQueries current = queries;
    if (current == null) {
      return Double.NaN;
    }
    try {
      return current.activeAlerts(kind);
    } catch (InvalidStateStoreException e) {
      return Double.NaN;
    }
  }

  private List<String> retrainableModels() {
    DashboardQueries current = queries;
    try {
      return current == null ? List.of(config.defaultModelName()) : current.retrain().models();
    } catch (InvalidStateStoreException e) {
      return List.of(config.defaultModelName());
    }
  }

  private void audit(RetrainRequest request, String actor, String remoteAddress) {
    AuditPublisher current = auditPublisher;
    if (current == null || closed) {
      throw new IllegalStateException("the dashboard is not running");
    }
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("requestId", request.getRequestId());
    details.put("requestedBy", request.getRequestedBy());
    details.put("reason", request.getReason());
    current.publish(
        AuditAction.RETRAIN_REQUEST,
        AuditOutcome.ACCEPTED,
        actor,
        remoteAddress,
        request.getModelName(),
        details);
  }

  private void publish(RetrainRequest request) throws Exception {
    KafkaProducer<String, RetrainRequest> current = producer;
    if (current == null || closed) {
      throw new IllegalStateException("the dashboard is not running");
    }
    current
        .send(
            new ProducerRecord<>(
                context.topics().retrain().name(), request.getModelName(), request))
        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Health health() {
    StreamsRunner current = streams;
    if (current == null) {
      return Health.down(closed ? "STOPPED" : "STARTING", closed ? "closed" : "not started");
    }
    return current.health(
        Map.of("retrainAction", config.retrainActionEnabled() ? "enabled" : "disabled"));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (streams != null) {
      streams.close();
    }
    if (producer != null) {
      producer.close(CLOSE_TIMEOUT);
    }
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    if (auditPublisher != null) {
      auditPublisher.close();
    }
    if (blobs != null) {
      blobs.close();
    }
    LOG.info("dashboard stopped");
  }
}
