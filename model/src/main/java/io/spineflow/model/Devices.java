package io.spineflow.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

/**
 * Chooses where the model runs.
 *
 * <p>For CUDA in production, the build ships the {@code cu128} natives ({@code
 * -Dpytorch.flavor=cu128}), or DJL uses an installed libtorch through {@code PYTORCH_LIBRARY_PATH}
 * (with {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR=cu128}) instead of the CPU natives this
 * module ships by default; {@link #best()} then picks the first GPU.
 */
public final class Devices {

  private static int gpuCount = -1;

  private Devices() {}

  /**
   * The first GPU when CUDA reports one and the running PyTorch build can use it, otherwise the
   * CPU. Both checks are needed: {@link CudaUtils} sees the driver, but the CPU-only libtorch this
   * module ships cannot run on it.
   */
  public static Device best() {
    if (gpuCount() > 0) {
      return Device.gpu();
    }
    return Device.cpu();
  }

  /**
   * GPUs usable by the running engine; 0 on a machine without CUDA or with CPU-only natives. Probed
   * once per process (the probe logs a warning on machines without a driver, and the answer does
   * not change while the process runs).
   */
  public static synchronized int gpuCount() {
    if (gpuCount < 0) {
      gpuCount = probeGpuCount();
    }
    return gpuCount;
  }

  /**
   * GPUs the CUDA driver reports, whether or not the running PyTorch build can use them: with
   * {@link #gpuCount()} it tells "no GPU here" from "a GPU, but the CPU natives".
   */
  public static int driverGpuCount() {
    try {
      return Math.max(0, CudaUtils.getGpuCount());
    } catch (LinkageError e) {
      // No CUDA runtime to link against: the normal case on CPU machines.
      return 0;
    }
  }

  private static int probeGpuCount() {
    int cuda = driverGpuCount();
    if (cuda <= 0) {
      return 0;
    }
    return Math.min(cuda, DjlEngine.ensureStarted().getGpuCount());
  }

  /**
   * Parses a device setting from configuration.
   *
   * @param name {@code auto} (or {@code null}/blank) for {@link #best()}, {@code cpu}, {@code gpu}
   *     (the first GPU) or {@code gpuN}
   * @throws IllegalArgumentException for anything else, or a GPU that is not there
   */
  public static Device parse(String name) {
    DeviceChoice choice = DeviceChoice.parse(name);
    // Probe only when the answer matters: "cpu" never needs the engine's GPU count.
    return choice.equals(DeviceChoice.CPU) ? Device.cpu() : choice.resolve(gpuCount());
  }
}
