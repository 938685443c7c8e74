package io.spineflow.cli;

import io.spineflow.platform.OpsServer;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Services started from their modules with one shared launcher; closing stops them all. */
final class RunningServices implements AutoCloseable {
  private final ServiceLauncher launcher = new ServiceLauncher();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, OpsServer> servers = new LinkedHashMap<>();

  /**
   * Starts {@code modules} in order against {@code settings}; {@code http.port} of each module is
   * its default unless {@code portOverride} maps its name to another.
   */
  static RunningServices start(
      List<ServiceModule> modules, Settings settings, Map<String, Integer> portOverride) {
    RunningServices running = new RunningServices();
    try {
      for (ServiceModule module : modules) {
        ServiceContext context = ServiceContext.from(module.name(), settings);
        ServiceLauncher.prepareKafka(context, module.ownedTopics().apply(context.topics()));
        Service service = module.factory().apply(context);
        int port = portOverride.getOrDefault(module.name(), context.httpPort(module.defaultPort()));
        running.launcher.launch(context, service, port, module.routes());
        running.ports.put(module.name(), running.launcher.lastPort());
        running.servers.put(module.name(), running.launcher.lastServer());
      }
      return running;
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
  }

  /** HTTP port of each started service, by name. */
  Map<String, Integer> ports() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports));
  }

  /** {@code https://localhost:PORT} (or {@code http://}) of {@code name}'s main port. */
  String baseUrl(String name) {
    OpsServer server = servers.get(name);
    return server.scheme() + "://localhost:" + server.port();
  }

  /** The URL of {@code name}'s {@code /health} (its ops port when it has one). */
  String healthUrl(String name) {
    OpsServer server = servers.get(name);
    return server.scheme() + "://localhost:" + server.opsPort() + "/health";
  }

  @Override
  public void close() {
    launcher.close();
  }
}
