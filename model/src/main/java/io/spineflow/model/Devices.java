package io.spineflow.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;

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

  private static int probeGpuCount() {
    int cuda;
    try {
      cuda = CudaUtils.getGpuCount();
    } catch (LinkageError e) {
      // No CUDA runtime to link against: the normal case on CPU machines.
      return 0;
    }
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
    String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    if (n.isEmpty() || n.equals("auto")) {
      return best();
    }
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    if (n.startsWith("gpu")) {
      int id;
      try {
        id = n.length() == 3 ? 0 : Integer.parseInt(n.substring(3));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "device '" + name + "': expected auto, cpu, gpu or gpuN");
      }
      int count = gpuCount();
      if (id >= count) {
        throw new IllegalArgumentException(
            "device '" + name + "' requested but " + count + " usable GPU(s) found");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("device '" + name + "': expected auto, cpu, gpu or gpuN");
  }
}
