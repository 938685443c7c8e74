package io.spineflow.model;

import ai.djl.Device;
import java.util.Locale;

/**
 * A device setting ({@code auto}, {@code cpu}, {@code gpu} or {@code gpuN}) parsed apart from the
 * engine, so a bad value is refused at configuration time and whether a GPU is required can be
 * decided, and tested, without probing CUDA.
 *
 * @param gpu whether a GPU was asked for ({@code gpu} or {@code gpuN}); {@code auto} is not
 * @param index the GPU's index ({@code gpu} is 0); -1 for {@code auto} and {@code cpu}
 */
public record DeviceChoice(String name, boolean gpu, int index) {
  public static final DeviceChoice AUTO = new DeviceChoice("auto", false, -1);
  public static final DeviceChoice CPU = new DeviceChoice("cpu", false, -1);

  private static final String EXPECTED = "expected auto, cpu, gpu or gpuN";

  /**
   * @param value the setting's text; blank or null means {@code auto}
   * @throws IllegalArgumentException for anything but auto, cpu, gpu or gpuN (N a small index)
   */
  public static DeviceChoice parse(String value) {
    String n = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (n.isEmpty() || n.equals("auto")) {
      return AUTO;
    }
    if (n.equals("cpu")) {
      return CPU;
    }
    if (n.equals("gpu")) {
      return new DeviceChoice("gpu", true, 0);
    }
    if (n.matches("gpu[0-9]{1,3}")) {
      return new DeviceChoice(n, true, Integer.parseInt(n.substring(3)));
    }
    throw new IllegalArgumentException("device '" + value + "': " + EXPECTED);
  }

  /**
   * The device this choice names on an engine that can use {@code usableGpus} GPUs: {@code auto}
   * takes the first GPU when there is one, else the CPU.
   *
   * @throws IllegalArgumentException when a GPU is required and the engine has no GPU of that index
   */
  public Device resolve(int usableGpus) {
    if (!gpu) {
      return name.equals("cpu") || usableGpus <= 0 ? Device.cpu() : Device.gpu();
    }
    if (index >= usableGpus) {
      throw new IllegalArgumentException(
          "device '" + name + "' requested but " + usableGpus + " usable GPU(s) found");
    }
    return Device.gpu(index);
  }
}
