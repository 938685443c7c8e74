package io.spineflow.inference;

import ai.djl.Device;
import io.spineflow.model.DeviceChoice;
import io.spineflow.platform.ConfigException;
import java.util.function.IntSupplier;

/**
 * Resolves {@code inference.device} once the engine has started. A GPU asked for by name is a
 * requirement: serving on the CPU instead would be many times slower with nothing on /health to say
 * why, so its absence stops the service at start in one line naming the setting.
 */
final class InferenceDevice {
  private InferenceDevice() {}

  /**
   * @param usableGpus GPUs the running engine can use
   * @param driverGpus GPUs the CUDA driver reports (more than usable: the cpu natives); asked only
   *     to explain a failure, as the probe logs a warning on machines without CUDA
   * @throws ConfigException naming {@code inference.device} and what was found
   */
  static Device resolve(DeviceChoice choice, int usableGpus, IntSupplier driverGpus) {
    try {
      return choice.resolve(usableGpus);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          InferenceSettings.DEVICE.name(),
          e.getMessage() + " (" + found(driverGpus.getAsInt()) + ")");
    }
  }

  private static String found(int driverGpus) {
    if (driverGpus <= 0) {
      return "no CUDA driver or GPU on this host";
    }
    return "the CUDA driver reports "
        + driverGpus
        + " but the engine runs PyTorch's cpu natives: build with -Dpytorch.flavor=cu128 or point"
        + " PYTORCH_LIBRARY_PATH at a libtorch 2.7.1+cu128 (README, With a GPU)";
  }
}
