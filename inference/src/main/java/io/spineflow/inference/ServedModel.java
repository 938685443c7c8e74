package io.spineflow.inference;

import io.spineflow.events.ModelArchitecture;
import java.util.List;

/**
 * A loaded, verified and warmed-up model the inference loop can run. Used by one thread at a time
 * (the loop); {@link #close()} frees its native memory and is called by the {@link HotSwapSlot}
 * once no batch uses it any more.
 */
public interface ServedModel extends AutoCloseable {
  String name();

  int version();

  ModelArchitecture architecture();

  /**
   * Segments a batch in one forward pass.
   *
   * @param slices pixels (float32 in [0,1], row-major) of the model's input size
   * @return one prediction per slice, in order
   */
  List<Prediction> predict(List<float[]> slices);

  @Override
  void close();

  /** A predicted mask with the probabilities it came from (C×H×W, softmax). */
  record Prediction(byte[] classes, float[] probabilities) {}
}
