package io.spineflow.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * What this machine's CPU (or GPU) does through the same engine the model runs on: the rate of a
 * large square float32 matrix product, the operation BLAS libraries are tuned hardest for, and
 * therefore the practical ceiling a convolution network can approach (convolutions are lowered to
 * such products, plus memory traffic a plain product does not have).
 *
 * @param size rows and columns of the matrices multiplied
 * @param gflopsPerSecond median rate over the rounds, {@code 2·size³} operations per product
 */
public record MatmulPeak(int size, double gflopsPerSecond) {

  /** Large enough that the product is compute-bound on a CPU, small enough to run in seconds. */
  public static final int DEFAULT_SIZE = 1024;

  /**
   * Multiplies two random {@code size × size} matrices on {@code device}, once to warm up, then
   * {@code rounds} times, and reports the median rate.
   */
  public static MatmulPeak measure(Device device, int size, int rounds) {
    if (size < 1 || rounds < 1) {
      throw new IllegalArgumentException("size and rounds must be >= 1: " + size + ", " + rounds);
    }
    DjlEngine.ensureStarted();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      NDArray a = manager.randomNormal(new Shape(size, size));
      NDArray b = manager.randomNormal(new Shape(size, size));
      product(manager, a, b);
      double[] rates = new double[rounds];
      double operations = 2.0 * size * size * size;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        product(manager, a, b);
        rates[r] = operations / ((System.nanoTime() - start) / 1e9) / 1e9;
      }
      Arrays.sort(rates);
      return new MatmulPeak(size, rates[rounds / 2]);
    }
  }

  /** One product, forced to finish (reading a value waits for asynchronous engines). */
  private static void product(NDManager manager, NDArray a, NDArray b) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray c = a.matMul(b);
      c.attach(scratch);
      c.getFloat(0, 0);
    }
  }
}
