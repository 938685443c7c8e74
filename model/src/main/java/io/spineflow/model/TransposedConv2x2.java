package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2×2, stride-2 transposed convolution ("up-convolution"), built from operations DJL's PyTorch
 * engine implements: its {@code Conv2dTranspose} throws "Not implemented".
 *
 * <p>With stride equal to kernel size the output windows do not overlap, so each input pixel {@code
 * x[:, h, w]} alone produces the 2×2 output patch {@code y[:, 2h+a, 2w+b] = Σ_i x[i, h, w] · K[i,
 * o, a, b] + bias[o]}. That is a 1×1 convolution to {@code 4·out} channels (one per {@code (o, a,
 * b)}) followed by depth-to-space: reshape to {@code [N, out, 2, 2, H, W]}, move the two 2-axes
 * next to {@code H} and {@code W}, and reshape to {@code [N, out, 2H, 2W]}.
 *
 * <p>The weight parameter is the 1×1 kernel {@code [4·out, in, 1, 1]} with channel {@code o·4 + a·2
 * + b}; {@link #fromTransposedKernel} converts a PyTorch-layout {@code ConvTranspose2d} kernel
 * {@code [in, out, 2, 2]} to it. The bias has one value per output channel, as a real transposed
 * convolution has (not one per {@code (o, a, b)}).
 */
public final class TransposedConv2x2 extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int inChannels;
  private final int outChannels;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * @param inChannels channels of the input; fixed here (not inferred) so parameter shapes are
   *     known before initialisation and a wrong wiring fails loudly
   * @param outChannels channels of the output
   */
  public TransposedConv2x2(int inChannels, int outChannels) {
    super(VERSION);
    if (inChannels < 1 || outChannels < 1) {
      throw new IllegalArgumentException(
          "channels must be >= 1: in=" + inChannels + ", out=" + outChannels);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(4L * outChannels, inChannels, 1, 1))
                .build());
    this.bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .build());
  }

  /** Input channels. */
  public int inChannels() {
    return inChannels;
  }

  /** Output channels. */
  public int outChannels() {
    return outChannels;
  }

  /**
   * Converts a {@code ConvTranspose2d} kernel in PyTorch layout {@code [in, out, 2, 2]} (Keras
   * {@code Conv2DTranspose} stores {@code [2, 2, out, in]}: transpose it to this layout first) to
   * this block's weight layout {@code [4·out, in, 1, 1]}.
   */
  public static NDArray fromTransposedKernel(NDArray kernel) {
    Shape s = kernel.getShape();
    if (s.dimension() != 4 || s.get(2) != 2 || s.get(3) != 2) {
      throw new IllegalArgumentException("expected a [in, out, 2, 2] kernel, got " + s);
    }
    // [in, out, a, b] -> [out, a, b, in] -> [out·4, in, 1, 1]: channel index o·4 + a·2 + b.
    return kernel.transpose(1, 2, 3, 0).reshape(s.get(1) * 4, s.get(0), 1, 1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    if (s.dimension() != 4 || s.get(1) != inChannels) {
      throw new IllegalArgumentException(
          "TransposedConv2x2 expects [N, " + inChannels + ", H, W], got " + s);
    }
    long n = s.get(0);
    long h = s.get(2);
    long w = s.get(3);
    NDArray k = parameterStore.getValue(weight, x.getDevice(), training);
    NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
    NDArray patches = Conv2d.conv2d(x, k).singletonOrThrow(); // [N, 4·out, H, W]
    NDArray y =
        patches
            .reshape(n, outChannels, 2, 2, h, w) // [n, o, a, b, h, w]
            .transpose(0, 1, 4, 2, 5, 3) // [n, o, h, a, w, b]
            .reshape(n, outChannels, 2 * h, 2 * w); // row 2h+a, column 2w+b
    // An op on a parameter attaches its result to the parameter's (the model's) manager, which
    // lives as long as the model: hand the reshaped bias to the batch's manager, or every forward
    // pass would leave one array behind.
    NDArray channelBias = b.reshape(1, outChannels, 1, 1);
    channelBias.attach(y.getManager());
    return new NDList(y.add(channelBias));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), outChannels, s.get(2) * 2, s.get(3) * 2)};
  }

  @Override
  public String toString() {
    return "TransposedConv2x2(" + inChannels + " -> " + outChannels + ")";
  }
}
