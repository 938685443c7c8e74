package io.spineflow.inference;

import io.spineflow.model.DeviceChoice;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Settings;
import java.nio.file.Path;

/** The inference service's configuration, resolved once from {@link InferenceSettings}. */
public record InferenceConfig(
    String modelName,
    Path modelStore,
    BatchPolicy batchPolicy,
    String instanceId,
    double nsdToleranceMm,
    int threads,
    DeviceChoice device,
    int swapWarmupRounds,
    int loaderNice) {

  /** Whether a GPU is there is known only once the engine starts; the grammar is checked now. */
  private static DeviceChoice device(Settings settings) {
    try {
      return DeviceChoice.parse(settings.string(InferenceSettings.DEVICE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(InferenceSettings.DEVICE.name(), e.getMessage());
    }
  }

  public static InferenceConfig from(Settings settings) {
    return new InferenceConfig(
        settings.string(InferenceSettings.MODEL_NAME),
        ModelSettings.store(settings),
        new BatchPolicy(
            settings.integer(InferenceSettings.MAX_BATCH, 1, 1024),
            settings.duration(InferenceSettings.MAX_WAIT)),
        settings.string(InferenceSettings.INSTANCE_ID),
        settings.decimal(InferenceSettings.NSD_TOLERANCE, 0, 100),
        settings.integer(InferenceSettings.THREADS, 0, 1024),
        device(settings),
        settings.integer(InferenceSettings.SWAP_WARMUP_ROUNDS, 0, 100),
        settings.integer(InferenceSettings.SWAP_LOADER_NICE, 0, 19));
  }
}
