package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SegmentationTrainer#step} needs to drop a step whose loss or gradients are not
 * finite: a check of every gradient, a reset of the gradients (DJL's own {@code zeroGradients}
 * subtracts a gradient from itself, which leaves a NaN a NaN), and a snapshot of BatchNorm's
 * running statistics, which the training-mode forward pass updates before the loss is known.
 */
final class FiniteStep {
  /**
   * The whole array, for in-place writes through PyTorch's {@code index_put_}. Not {@code
   * NDArray.set(Buffer)}: on the CPU that points the tensor's storage at the Java buffer, which is
   * freed with the gradient's wrapper while autograd still accumulates into it (a crash in the next
   * backward pass).
   */
  private static final NDIndex ALL = new NDIndex(":");

  private FiniteStep() {}

  /** Copies of every running mean and variance of {@code block}, owned by {@code manager}. */
  static List<NDArray> snapshotStatistics(Block block, NDManager manager) {
    List<NDArray> copies = new ArrayList<>();
    for (Parameter p : runningStatistics(block)) {
      NDArray copy = p.getArray().duplicate();
      copy.attach(manager);
      copies.add(copy);
    }
    return copies;
  }

  /** Writes {@code copies} (from {@link #snapshotStatistics}) back into {@code block}, in place. */
  static void restoreStatistics(Block block, List<NDArray> copies) {
    List<Parameter> statistics = runningStatistics(block);
    for (int i = 0; i < statistics.size(); i++) {
      statistics.get(i).getArray().set(ALL, copies.get(i));
    }
  }

  /**
   * Whether every gradient of {@code block} is finite. One sum per array: a NaN or an infinity
   * anywhere makes its sum non-finite (a finite sum that overflows counts as non-finite too, which
   * only drops a step that was useless anyway).
   */
  static boolean gradientsFinite(Block block) {
    for (Parameter p : trainable(block)) {
      try (NDArray gradient = p.getArray().getGradient();
          NDArray sum = gradient.sum()) {
        if (!Float.isFinite(sum.getFloat())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Sets every gradient of {@code block} to zero, overwriting NaNs. */
  static void zeroGradients(Block block) {
    for (Parameter p : trainable(block)) {
      try (NDArray gradient = p.getArray().getGradient()) {
        gradient.set(ALL, 0f);
      }
    }
  }

  private static List<Parameter> trainable(Block block) {
    List<Parameter> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient() && p.getValue().getArray().hasGradient()) {
        out.add(p.getValue());
      }
    }
    return out;
  }

  private static List<Parameter> runningStatistics(Block block) {
    List<Parameter> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter.Type type = p.getValue().getType();
      if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
        out.add(p.getValue());
      }
    }
    return out;
  }
}
