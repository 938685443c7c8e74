package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A "same"-padded convolution, BatchNorm and an activation: the unit every U-Net level is made of.
 *
 * <p>A block of its own rather than a {@link SequentialBlock} with an activation lambda: DJL's
 * {@code LambdaBlock} finds its output shape by running the lambda on a zero array of the full
 * input size, which at the paper's 640×512 slices allocates hundreds of MB just to initialise. The
 * convolution has no bias because BatchNorm's β makes it redundant.
 */
final class ConvBnAct extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Conv2d conv;
  private final BatchNorm norm;
  private final float leakySlope;

  /**
   * @param kernel square kernel size (odd), padded to keep the spatial size
   * @param filters output channels
   * @param leakySlope 0 for ReLU, else the LeakyReLU negative slope
   */
  ConvBnAct(int kernel, int filters, float leakySlope) {
    super(VERSION);
    this.conv =
        addChildBlock(
            "conv",
            Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optBias(false)
                .build());
    this.norm = addChildBlock("bn", BatchNorm.builder().build());
    this.leakySlope = leakySlope;
  }

  /**
   * Two 3×3 {@link ConvBnAct} with ReLU, then dropout when {@code dropout > 0}: an encoder,
   * bottleneck or decoder level.
   */
  static SequentialBlock doubleConv(int filters, float dropout) {
    SequentialBlock block =
        new SequentialBlock().add(new ConvBnAct(3, filters, 0f)).add(new ConvBnAct(3, filters, 0f));
    if (dropout > 0f) {
      block.add(Dropout.builder().optRate(dropout).build());
    }
    return block;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDList z = conv.forward(parameterStore, inputs, training, params);
    NDArray y = norm.forward(parameterStore, z, training, params).singletonOrThrow();
    return new NDList(leakySlope > 0f ? Activation.leakyRelu(y, leakySlope) : Activation.relu(y));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
    norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
  }
}
