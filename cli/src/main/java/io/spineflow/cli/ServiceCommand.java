package io.spineflow.cli;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.Setting;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow <service> --bootstrap-servers HOST:PORT [settings]}: one service against a
 * real cluster, until Ctrl-C. Options are the rows of the configuration table (common + the
 * service's).
 */
abstract class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract String serviceName();

  /** Adds this service's settings as options; picocli calls it through {@link #spec}. */
  static List<Setting> settingsOf(ServiceModule module) {
    List<Setting> settings = new ArrayList<>(CommonSettings.all());
    settings.addAll(module.settings());
    return settings;
  }

  @Override
  public Integer call() {
    ServiceModule module = ServiceModules.named(serviceName());
    List<Setting> settings = settingsOf(module);
    PrintWriter out = spec.commandLine().getOut();
    RunningServices running =
        RunningServices.start(List.of(module), SettingOptions.resolve(spec, settings), Map.of());
    out.printf(
        "%s running (health: %s). Ctrl-C stops it.%n",
        module.name(), running.healthUrl(module.name()));
    new ShutdownLatch().awaitThen(running::close);
    out.printf("%s stopped.%n", module.name());
    return 0;
  }

  @Command(name = "ingest", description = "Run the ingest service against a Kafka cluster.")
  static final class Ingest extends ServiceCommand {
    @Override
    String serviceName() {
      return "ingest";
    }
  }

  @Command(name = "preprocess", description = "Run the preprocess service against a Kafka cluster.")
  static final class Preprocess extends ServiceCommand {
    @Override
    String serviceName() {
      return "preprocess";
    }
  }

  @Command(name = "results", description = "Run the results service against a Kafka cluster.")
  static final class Results extends ServiceCommand {
    @Override
    String serviceName() {
      return "results";
    }
  }

  @Command(name = "trainer", description = "Run the trainer service against a Kafka cluster.")
  static final class Trainer extends ServiceCommand {
    @Override
    String serviceName() {
      return "trainer";
    }
  }

  @Command(name = "dashboard", description = "Run the dashboard service against a Kafka cluster.")
  static final class Dashboard extends ServiceCommand {
    @Override
    String serviceName() {
      return "dashboard";
    }
  }

  @Command(name = "inference", description = "Run the inference service against a Kafka cluster.")
  static final class Inference extends ServiceCommand {
    @Override
    String serviceName() {
      return "inference";
    }
  }

  @Command(name = "delivery", description = "Run the delivery service against a Kafka cluster.")
  static final class Delivery extends ServiceCommand {
    @Override
    String serviceName() {
      return "delivery";
    }
  }
}
