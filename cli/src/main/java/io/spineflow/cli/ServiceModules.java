package io.spineflow.cli;

import io.spineflow.dashboard.DashboardService;
import io.spineflow.dashboard.DashboardSettings;
import io.spineflow.delivery.DeliveryService;
import io.spineflow.delivery.DeliverySettings;
import io.spineflow.inference.InferenceService;
import io.spineflow.inference.InferenceSettings;
import io.spineflow.ingest.IngestService;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.preprocess.PreprocessService;
import io.spineflow.preprocess.PreprocessSettings;
import io.spineflow.results.ResultsService;
import io.spineflow.results.ResultsSettings;
import io.spineflow.schemas.Topics;
import io.spineflow.trainer.TrainerService;
import io.spineflow.trainer.TrainerSettings;
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

  static final ServiceModule RESULTS =
      new ServiceModule(
          ResultsService.NAME,
          ResultsService.DEFAULT_HTTP_PORT,
          ResultsSettings.all(),
          ResultsService::create,
          ResultsService::ownedTopics,
          service -> Map.of());

  static final ServiceModule DASHBOARD =
      new ServiceModule(
          DashboardService.NAME,
          DashboardService.DEFAULT_HTTP_PORT,
          DashboardSettings.all(),
          DashboardService::create,
          // It reads nearly every topic; Streams fails on a missing source topic, so it creates
          // them all (idempotently, with the registry's settings) rather than wait for the owners.
          Topics::all,
          service -> ((DashboardService) service).routes());

  static final ServiceModule TRAINER =
      new ServiceModule(
          TrainerService.NAME,
          TrainerService.DEFAULT_HTTP_PORT,
          TrainerSettings.all(),
          TrainerService::create,
          TrainerService::ownedTopics,
          service -> Map.of());

  static final ServiceModule DELIVERY =
      new ServiceModule(
          DeliveryService.NAME,
          DeliveryService.DEFAULT_HTTP_PORT,
          DeliverySettings.all(),
          DeliveryService::create,
          DeliveryService::ownedTopics,
          service -> Map.of());

  static List<ServiceModule> all() {
    return List.of(INGEST, PREPROCESS, INFERENCE, RESULTS, DELIVERY, TRAINER, DASHBOARD);
  }

  static ServiceModule named(String name) {
    return all().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service named " + name));
  }
}
