package io.spineflow.cli;

import java.util.List;

/** Every service the launcher can run, in pipeline order. */
final class ServiceModules {
  private ServiceModules() {}

  static List<ServiceModule> all() {
    return List.of();
  }

  static ServiceModule named(String name) {
    return all().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service named " + name));
  }
}
