package io.spineflow.cli;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.dashboard.DashboardSettings;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
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
 * service in this process, until Ctrl-C. State (broker log, stores) lives under {@code --data-dir}
 * and survives a restart.
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
          "First port of the services' /health and /metrics (ingest, preprocess, ... in order;"
              + " 0 picks free ports; default: ${DEFAULT-VALUE}).",
      defaultValue = "8081")
  int servicePortsFrom;

  @Option(
      names = "--studies",
      paramLabel = "N",
      description = "Synthetic studies to stream (default: ${DEFAULT-VALUE}).",
      defaultValue = "12")
  int studies;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path logFile = dataDir.resolve("logs").resolve("spineflow.log");
    LogSetup.toFile(logFile);
    out.printf("spineflow demo: state in %s, logs in %s%n", dataDir.toAbsolutePath(), logFile);
    EmbeddedKafkaBroker broker = DemoBroker.start(dataDir.resolve("kafka"), kafkaPort);
    out.printf("Kafka (embedded, KRaft) on %s%n", broker.bootstrapServers());
    String uploadToken = envOrRandom(IngestSettings.TOKEN.envVar());
    String operatorToken = envOrRandom(DashboardSettings.OPERATOR_TOKEN.envVar());
    RunningServices services;
    try {
      Map<String, String> given = new HashMap<>();
      given.put(CommonSettings.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
      given.put(CommonSettings.DATA_DIR.name(), dataDir.toAbsolutePath().toString());
      given.put(IngestSettings.TOKEN.name(), uploadToken);
      given.put(DashboardSettings.OPERATOR_TOKEN.name(), operatorToken);
      Settings settings = new Settings(given, System.getenv());
      List<ServiceModule> modules = ServiceModules.all();
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
        .forEach((name, p) -> out.printf("  %-11s http://localhost:%d/health%n", name, p));
    out.printf("Dashboard: http://localhost:%d/%n", services.ports().get("dashboard"));
    out.printf(
        "Operator token (Retrain now): %s%n",
        System.getenv(DashboardSettings.OPERATOR_TOKEN.envVar()) == null
            ? operatorToken
            : "from " + DashboardSettings.OPERATOR_TOKEN.envVar());
    out.printf(
        "Upload token (Authorization: Bearer): %s%n",
        System.getenv(IngestSettings.TOKEN.envVar()) == null
            ? uploadToken
            : "from " + IngestSettings.TOKEN.envVar());
    StudyPusher pusher =
        new StudyPusher(
            new KafkaClients(broker.bootstrapServers(), java.util.Map.of()),
            new io.spineflow.schemas.Topics("", 3));
    DemoFeeder feeder =
        new DemoFeeder(
            pusher, dataDir.resolve("phantoms"), studies, 1, true, 0.5, Duration.ofSeconds(3), out);
    Thread feeding = new Thread(feeder, "demo-feeder");
    feeding.setDaemon(true);
    feeding.start();
    out.println("Running. Ctrl-C stops everything cleanly.");
    new ShutdownLatch()
        .awaitThen(
            () -> {
              out.println();
              out.println("Stopping services and Kafka...");
              feeder.stop();
              synchronized (feeder) {
                feeder.notifyAll();
              }
              joinQuietly(feeding);
              pusher.close();
              services.close();
              broker.close();
              out.println("Stopped. State kept in " + dataDir.toAbsolutePath());
            });
    return 0;
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
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
