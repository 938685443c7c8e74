package io.spineflow.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;

/**
 * Floating-point operations of one forward pass of a {@link UNet} on one slice, as served (the
 * auxiliary head, which only supervises training, left out).
 *
 * <p>Only convolutions are counted, two operations per multiply-add: they are all but every
 * arithmetic operation of a U-Net. BatchNorm, activations, pooling and concatenation are one
 * operation per element or none, and cost memory traffic rather than arithmetic (the usual
 * convention of FLOP counters such as fvcore's). The count is exact for the blocks it knows; a
 * block it does not know that holds parameters makes it fail rather than undercount.
 *
 * @param config the architecture counted
 * @param flops operations per slice
 */
public record ModelFlops(UNetConfig config, long flops) {

  /** Billions of operations per slice. */
  public double gflops() {
    return flops / 1e9;
  }

  /**
   * Builds the block for {@code config}, initialises it for one slice on a scratch manager (freed
   * before returning) and counts every convolution at the shape it sees there.
   */
  public static ModelFlops count(UNetConfig config) {
    DjlEngine.ensureStarted();
    UNet unet = new UNet(config);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      unet.initialize(manager, DataType.FLOAT32, unet.inputShape(1));
      long total = 0;
      for (Pair<String, Block> child : unet.getChildren()) {
        if (!child.getKey().endsWith("aux")) {
          total += flops(child.getValue());
        }
      }
      return new ModelFlops(config, total);
    }
  }

  /** Operations of {@code block} at the input shape it was initialised with, children included. */
  static long flops(Block block) {
    if (block instanceof Conv2d conv) {
      return convolution(conv);
    }
    if (block instanceof TransposedConv2x2 up) {
      // A 1×1 convolution to 4·out channels on the input grid, then a reshuffle.
      Shape in = inputShape(up);
      return 2L * 4 * up.outChannels() * up.inChannels() * in.get(2) * in.get(3);
    }
    long total = 0;
    for (Pair<String, Block> child : block.getChildren()) {
      total += flops(child.getValue());
    }
    if (block.getChildren().isEmpty() && holdsWeights(block)) {
      throw new IllegalStateException(
          "cannot count the operations of " + block.getClass().getSimpleName());
    }
    return total;
  }

  /** {@code 2 · outputs · (in/groups · kh · kw)}: one multiply-add per weight per output. */
  private static long convolution(Conv2d conv) {
    Shape in = inputShape(conv);
    Shape out = conv.getOutputShapes(new Shape[] {in})[0];
    Shape weight = null;
    for (Pair<String, Parameter> p : conv.getParameters()) {
      if (p.getValue().getType() == Parameter.Type.WEIGHT) {
        weight = p.getValue().getArray().getShape();
      }
    }
    if (weight == null) {
      throw new IllegalStateException("convolution without a weight");
    }
    long perOutput = weight.size() / weight.get(0);
    return 2L * out.size() / out.get(0) * perOutput;
  }

  private static Shape inputShape(Block block) {
    var described = block.describeInput();
    if (described.isEmpty()) {
      throw new IllegalStateException(block.getClass().getSimpleName() + " is not initialised");
    }
    return described.get(0).getValue();
  }

  /** BatchNorm holds gamma/beta and running statistics but does no arithmetic worth counting. */
  private static boolean holdsWeights(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getType() == Parameter.Type.WEIGHT
          && !(block instanceof ai.djl.nn.norm.BatchNorm)) {
        return true;
      }
    }
    return false;
  }
}
