package io.spineflow.cli;

import io.spineflow.inference.InferenceService;
import io.spineflow.inference.InferenceSettings;
import io.spineflow.ingest.IngestService;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.preprocess.PreprocessService;
import io.spineflow.preprocess.PreprocessSettings;
import java.util.List;
import java.util.Map;

/** Every service the launcher can run, in pipeline order. */
final class ServiceModules {
  private ServiceModules() {}

  static final ServiceModule INGEST =
      new ServiceModule(
          IngestService.NAME,
          IngestService.DEFAULT_HTTP_PORT,
          IngestSettings.all(),
          IngestService::create,
          IngestService::ownedTopics,
          service -> ((IngestService) service).routes());

  static final ServiceModule PREPROCESS =
      new ServiceModule(
          PreprocessService.NAME,
          PreprocessService.DEFAULT_HTTP_PORT,
          PreprocessSettings.all(),
          PreprocessService::create,
          PreprocessService::ownedTopics,
          service -> Map.of());

  static final ServiceModule INFERENCE =
      new ServiceModule(
          InferenceService.NAME,
          InferenceService.DEFAULT_HTTP_PORT,
          InferenceSettings.all(),
          InferenceService::create,
          InferenceService::ownedTopics,
          service -> Map.of());

  static List<ServiceModule> all() {
    return List.of(INGEST, PREPROCESS, INFERENCE);
  }

  static ServiceModule named(String name) {
    return all().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service named " + name));
  }
}
