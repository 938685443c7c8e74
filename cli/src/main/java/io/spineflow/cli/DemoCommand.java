package io.spineflow.cli;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.dashboard.DashboardSettings;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow demo}: the whole system on one machine: an embedded Kafka broker and every
 * service in this process, driven by a scripted scenario ({@link DemoScenario}), until Ctrl-C.
 * State (broker log, stores, models) lives under {@code --data-dir} and survives a restart.
 */
@Command(
    name = "demo",
    description = "Run everything locally: embedded Kafka, every service, synthetic studies.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the demo keeps its state (default: ${DEFAULT-VALUE}).",
      defaultValue = ".spineflow/demo")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      description = "Port of the embedded broker on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
      defaultValue = "9092")
  int kafkaPort;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port of the dashboard (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--service-ports-from",
      paramLabel = "PORT",
      description =
          "First port of the other services' /health and /metrics (in pipeline order; 0 picks"
              + " free ports; default: ${DEFAULT-VALUE}).",
      defaultValue = "8081")
  int servicePortsFrom;

  @Option(
      names = "--studies",
      paramLabel = "N",
      description = "Synthetic studies of the scenario (default: ${DEFAULT-VALUE}).",
      defaultValue = "40")
  int studies;

  @Option(
      names = "--quick",
      description =
          "Small counts and the smallest model (64x64 slices, width 8): the whole scenario in a"
              + " few minutes on 2 cores.")
  boolean quick;

  @Option(names = "--no-scenario", description = "Start everything but send no studies.")
  boolean noScenario;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Send your own .mha studies from DIR (images/ + masks/ as SPIDER, or NAME.mha +"
              + " NAME.mask.mha) instead of the synthetic scenario.")
  Path data;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Serve this model directory (weights.params + architecture.json) at once.")
  Path model;

  @Option(names = "--no-train", description = "Run without the trainer (needs --model).")
  boolean noTrain;

  @Option(
      names = "--no-starter",
      description =
          "Do not serve the shipped starter model (trained offline on phantoms and real scans) while"
              + " the first model is trained; inference then waits for the trainer.")
  boolean noStarter;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (noTrain && model == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--no-train needs --model DIR: nothing else would produce a model");
    }
    Path logFile = dataDir.resolve("logs").resolve("spineflow.log");
    LogSetup.toFile(logFile);
    out.printf("spineflow demo: state in %s, logs in %s%n", dataDir.toAbsolutePath(), logFile);
    // Before the broker: a certificate that cannot be written stops nothing half-started.
    DemoCertificate certificate = DemoCertificate.unlessConfigured(dataDir.resolve("tls"));
    EmbeddedKafkaBroker broker = DemoBroker.start(dataDir.resolve("kafka"), kafkaPort);
    out.printf("Kafka (embedded, KRaft) on %s%n", broker.bootstrapServers());
    String uploadToken = envOrRandom(IngestSettings.TOKEN.envVar());
    String operatorToken = envOrRandom(DashboardSettings.OPERATOR_TOKEN.envVar());
    String viewerToken = envOrRandom(DashboardSettings.VIEWER_TOKEN.envVar());
    RunningServices services;
    try {
      Map<String, String> given = new HashMap<>(quick ? QUICK : FULL);
      // The scenario's first studies (seeds 1..8) put 2 in validation at this fraction (the split
      // hashes the study UID); at the default 0.2 they would all be training studies.
      given.put("trainer.validation.fraction", "0.35");
      given.put(CommonSettings.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
      given.put(CommonSettings.DATA_DIR.name(), dataDir.toAbsolutePath().toString());
      given.put(IngestSettings.TOKEN.name(), uploadToken);
      given.put(DashboardSettings.OPERATOR_TOKEN.name(), operatorToken);
      given.put(DashboardSettings.VIEWER_TOKEN.name(), viewerToken);
      if (certificate != null) {
        given.put(CommonSettings.HTTP_TLS_CERT.name(), certificate.cert().toString());
        given.put(CommonSettings.HTTP_TLS_KEY.name(), certificate.key().toString());
      }
      Settings settings = new Settings(given, System.getenv());
      List<ServiceModule> modules =
          ServiceModules.all().stream()
              .filter(m -> !(noTrain && m.name().equals(ServiceModules.TRAINER.name())))
              .toList();
      Map<String, Integer> ports = new HashMap<>();
      for (int i = 0; i < modules.size(); i++) {
        ports.put(modules.get(i).name(), servicePortsFrom == 0 ? 0 : servicePortsFrom + i);
      }
      ports.put("dashboard", port);
      services = RunningServices.start(modules, settings, ports);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    services
        .ports()
        .keySet()
        .forEach(name -> out.printf("  %-11s %s%n", name, services.healthUrl(name)));
    String dashboard = services.baseUrl("dashboard");
    out.printf("Dashboard: %s/%n", dashboard);
    out.printf(
        "Sign in (viewer token): %s%n",
        System.getenv(DashboardSettings.VIEWER_TOKEN.envVar()) == null
            ? dashboard + "/?token=" + viewerToken
            : dashboard + "/signin with the token from " + DashboardSettings.VIEWER_TOKEN.envVar());
    if (certificate != null) {
      out.printf(
          "HTTPS certificate (self-signed, made for this demo; trust it or accept the browser's"
              + " warning): %s%n",
          certificate.cert().toAbsolutePath());
    }
    out.printf(
        "Operator token (Retrain now): %s%n",
        shown(operatorToken, DashboardSettings.OPERATOR_TOKEN.envVar()));
    out.printf(
        "Upload token (POST /studies): %s%n", shown(uploadToken, IngestSettings.TOKEN.envVar()));
    KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    Topics topics = new Topics("", 3);
    StudyPusher pusher = new StudyPusher(clients, topics);
    DemoNarrator narrator = new DemoNarrator(clients, topics, out);
    Thread narrating = daemon(narrator, "demo-narrator");
    try {
      narrator.awaitReady(java.time.Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
    Settings modelSettings =
        new Settings(
            Map.of(CommonSettings.DATA_DIR.name(), dataDir.toAbsolutePath().toString()),
            System.getenv());
    String modelName = modelSettings.string(ModelSettings.MODEL_NAME);
    ModelStore store = new ModelStore(ModelSettings.store(modelSettings));
    int modelsGiven = 0;
    if (model != null) {
      int version = DemoModel.install(model, store, modelName, clients, topics);
      out.printf("Model %s v%d from %s announced%n", modelName, version, model);
      modelsGiven = 1;
    } else if (!quick && !noStarter && store.latestVersion(modelName).isEmpty()) {
      // The starter's input is the default 128x128; --quick slices are 64x64, so it trains its own.
      Path starter = StarterModel.extractTo(dataDir.resolve("starter-model"));
      int version = DemoModel.install(starter, store, modelName, clients, topics);
      out.printf(
          "Model %s v%d: the starter model (trained offline on phantoms and real scans; research use)"
              + " serves until the trainer promotes its own%n",
          modelName, version);
      modelsGiven = 1;
    }
    DemoScenario scenario =
        new DemoScenario(
            new DemoFeeder(pusher, dataDir.resolve("phantoms"), quick ? 0.5 : 1.0),
            narrator,
            quick ? DemoScenario.Plan.quick() : DemoScenario.Plan.full(studies),
            modelsGiven,
            out);
    Runnable script = data == null ? scenario : new DemoOwnStudies(pusher, data, out);
    Thread scripting = noScenario ? null : daemon(script, "demo-scenario");
    out.println("Running. Ctrl-C stops everything cleanly.");
    out.flush();
    new ShutdownLatch()
        .awaitThen(
            () -> {
              out.println();
              out.println("Stopping services and Kafka...");
              scenario.stop();
              narrator.close();
              joinQuietly(scripting);
              joinQuietly(narrating);
              pusher.close();
              services.close();
              broker.close();
              out.println("Stopped. State kept in " + dataDir.toAbsolutePath());
            });
    return 0;
  }

  /**
   * The default demo: the cpu profile; the starter model serves from the start, training starts
   * early (after 4 studies) and each run is capped at 60 s; every run fine-tunes the live model.
   */
  static final Map<String, String> FULL =
      Map.ofEntries(
          Map.entry("trainer.min.studies", "4"),
          Map.entry("trainer.trigger.new.studies", "4"),
          Map.entry("trainer.time.budget", "60s"),
          Map.entry("trainer.threads", "1"));

  /** The smallest configuration that still shows the whole loop in a few minutes on 2 cores. */
  static final Map<String, String> QUICK =
      Map.ofEntries(
          Map.entry("preprocess.slice.width", "64"),
          Map.entry("preprocess.slice.height", "64"),
          Map.entry("trainer.slice.width", "64"),
          Map.entry("trainer.slice.height", "64"),
          Map.entry("trainer.base.width", "8"),
          Map.entry("trainer.depth", "3"),
          Map.entry("trainer.epochs", "20"),
          Map.entry("trainer.time.budget", "90s"),
          Map.entry("trainer.target.dice", "0.85"),
          Map.entry("trainer.min.studies", "4"),
          Map.entry("trainer.trigger.new.studies", "6"),
          Map.entry("trainer.threads", "1"),
          Map.entry("inference.threads", "1"),
          Map.entry("dashboard.drift.dice.window", "15"),
          Map.entry("dashboard.drift.reference.size", "60"),
          Map.entry("dashboard.drift.window.size", "60"),
          Map.entry("dashboard.drift.window.min", "60"));

  private static String shown(String token, String envVar) {
    return System.getenv(envVar) == null ? token : "from " + envVar;
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String envOrRandom(String envVar) {
    String value = System.getenv(envVar);
    if (value != null && !value.isBlank()) {
      return value;
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void joinQuietly(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
