package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Objects;

/**
 * Deep supervision for a dual-output network ({@link UNetVariant#INCEPTION_UNET}): {@code
 * loss(final) + weight·loss(auxiliary)}. The auxiliary logits come from the bottleneck at {@code
 * 1/2^depth} resolution; they are upsampled by pixel repetition (nearest neighbour) to the label
 * size, so every label pixel supervises the coarse cell that covers it. With a single prediction
 * this is just {@code loss}.
 */
public final class AuxiliaryOutputLoss extends SegmentationLoss {

  private final Loss loss;
  private final float weight;

  /**
   * @param loss applied to both outputs
   * @param weight factor of the auxiliary term; 1 is Keras's default for a second output (Silveira
   *     et al. state none)
   */
  public AuxiliaryOutputLoss(Loss loss, float weight) {
    super(Objects.requireNonNull(loss, "loss").getName() + "+aux");
    if (!(weight >= 0f)) {
      throw new IllegalArgumentException("weight must be >= 0: " + weight);
    }
    this.loss = loss;
    this.weight = weight;
  }

  /** The wrapped loss. */
  public Loss loss() {
    return loss;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray main = loss.evaluate(labels, new NDList(predictions.get(0)));
    if (predictions.size() < 2 || weight == 0f) {
      return main;
    }
    NDArray auxiliary = predictions.get(1);
    long factor = predictions.get(0).getShape().get(2) / auxiliary.getShape().get(2);
    NDArray upsampled = auxiliary.repeat(2, factor).repeat(3, factor);
    return main.add(loss.evaluate(labels, new NDList(upsampled)).mul(weight));
  }
}
