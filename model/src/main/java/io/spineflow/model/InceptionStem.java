package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Silveira et al.'s first encoder block: four parallel branches over the input, concatenated along
 * channels. At their base width 64 the branches are 1×1 (64); 1×1 (96) → 3×3 (128); 1×1 (16) → 5×5
 * (32); 3×3 max-pool → 1×1 (32): 256 channels. Here every width scales with {@code baseWidth/64},
 * so the output has {@code 4·baseWidth} channels. Each convolution is followed by BatchNorm and
 * ReLU (the paper does not say; GoogLeNet's modules use ReLU).
 */
final class InceptionStem extends AbstractBlock {

  private static final byte VERSION = 1;

  private final SequentialBlock pointwise;
  private final SequentialBlock medium;
  private final SequentialBlock large;
  private final SequentialBlock pooled;
  private final int outChannels;

  /**
   * @param baseWidth the U-Net base width (64 in the paper)
   */
  InceptionStem(int baseWidth) {
    super(VERSION);
    int b = baseWidth;
    int quarter = Math.max(1, b / 4);
    int half = Math.max(1, b / 2);
    pointwise = addChildBlock("branch1x1", new SequentialBlock().add(new ConvBnAct(1, b, 0f)));
    medium =
        addChildBlock(
            "branch3x3",
            new SequentialBlock()
                .add(new ConvBnAct(1, Math.max(1, b * 3 / 2), 0f))
                .add(new ConvBnAct(3, 2 * b, 0f)));
    large =
        addChildBlock(
            "branch5x5",
            new SequentialBlock()
                .add(new ConvBnAct(1, quarter, 0f))
                .add(new ConvBnAct(5, half, 0f)));
    pooled = addChildBlock("branchPool", new SequentialBlock().add(new ConvBnAct(1, half, 0f)));
    outChannels = b + 2 * b + half + half;
  }

  /** Channels of the concatenated output. */
  int outChannels() {
    return outChannels;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray p = Pool.maxPool2d(x, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
    NDList parts =
        new NDList(
            pointwise.forward(ps, inputs, training, params).singletonOrThrow(),
            medium.forward(ps, inputs, training, params).singletonOrThrow(),
            large.forward(ps, inputs, training, params).singletonOrThrow(),
            pooled.forward(ps, new NDList(p), training, params).singletonOrThrow());
    return new NDList(NDArrays.concat(parts, 1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // Max pooling with stride 1 and padding 1 keeps the shape, so all branches see the input's.
    pointwise.initialize(manager, dataType, inputShapes);
    medium.initialize(manager, dataType, inputShapes);
    large.initialize(manager, dataType, inputShapes);
    pooled.initialize(manager, dataType, inputShapes);
  }
}
