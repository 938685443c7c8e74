package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The segmentation network: a U-Net over single-channel slices {@code [N, 1, H, W]} returning class
 * logits {@code [N, classes, H, W]}.
 *
 * <pre>
 * enc0 ─────────────────────────────────────────────── concat ─ dec0 ─ head ─▶ logits
 *  └ maxpool ─ enc1 ──────────────────────── concat ─ dec1 ─ up0 ┘
 *               └ maxpool ─ …  bottleneck ─ up(depth-1) ┘
 * </pre>
 *
 * Each encoder level is two Conv3×3+BatchNorm+ReLU and dropout ({@link UNetVariant#INCEPTION_UNET}
 * replaces level 0 by an {@link InceptionStem}), followed by 2×2 max pooling; the bottleneck is two
 * such convolutions at {@code bottleneckChannels}; each decoder level upsamples with a {@link
 * TransposedConv2x2} (+ LeakyReLU in {@link UNetVariant#MODIFIED_UNET}), concatenates the encoder's
 * skip connection and applies two convolutions; a 1×1 convolution gives the logits.
 *
 * <p>No softmax inside: the translator and the losses apply it, so the losses can use a stable
 * log-softmax. With {@link UNetVariant#auxiliaryOutput()} the block returns a second array when
 * called in training mode, the bottleneck's logits {@code [N, classes, H/2^depth, W/2^depth]} (see
 * {@link AuxiliaryOutputLoss}); in inference mode it returns only the logits.
 *
 * <p>Kernels are Glorot uniform; the block sets this itself, so a {@code Trainer} without
 * initialisers and a plain {@code initialize} call agree.
 */
public final class UNet extends AbstractBlock {

  private static final byte VERSION = 1;

  private final UNetConfig config;
  private final List<Block> encoders = new ArrayList<>();
  private final Block bottleneck;
  private final Conv2d auxiliaryHead;
  private final List<TransposedConv2x2> upsamplers = new ArrayList<>();
  private final List<Block> decoders = new ArrayList<>();
  private final Conv2d head;

  /** Builds the (uninitialised) block for {@code config}. */
  public UNet(UNetConfig config) {
    super(VERSION);
    this.config = Objects.requireNonNull(config, "config");
    int depth = config.depth();
    int[] skipChannels = new int[depth];
    for (int level = 0; level < depth; level++) {
      Block encoder;
      if (level == 0 && config.variant().inceptionStem()) {
        InceptionStem stem = new InceptionStem(config.baseWidth());
        skipChannels[level] = stem.outChannels();
        encoder = stem;
      } else {
        encoder = ConvBnAct.doubleConv(config.levelWidth(level), config.dropout());
        skipChannels[level] = config.levelWidth(level);
      }
      encoders.add(addChildBlock("enc" + level, encoder));
    }
    bottleneck =
        addChildBlock(
            "bottleneck", ConvBnAct.doubleConv(config.bottleneckChannels(), config.dropout()));
    auxiliaryHead =
        config.variant().auxiliaryOutput()
            ? addChildBlock("aux", pointwise(config.classes()))
            : null;
    // Decoder blocks are added deepest first, the order forward() runs them in.
    for (int level = depth - 1; level >= 0; level--) {
      int in = level == depth - 1 ? config.bottleneckChannels() : config.levelWidth(level + 1);
      upsamplers.add(
          0, addChildBlock("up" + level, new TransposedConv2x2(in, config.levelWidth(level))));
      decoders.add(
          0, addChildBlock("dec" + level, ConvBnAct.doubleConv(config.levelWidth(level), 0f)));
    }
    head = addChildBlock("head", pointwise(config.classes()));
    setInitializer(glorotUniform(), Parameter.Type.WEIGHT);
  }

  /**
   * Glorot (Xavier) uniform, limit {@code sqrt(6 / (fanIn + fanOut))}: the paper's initialiser.
   * DJL's no-argument {@code XavierInitializer} is √2 larger.
   */
  public static Initializer glorotUniform() {
    return new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3f);
  }

  /** The architecture this block was built from. */
  public UNetConfig config() {
    return config;
  }

  /** The input shape for a batch of {@code batchSize} slices: {@code [N, 1, H, W]}. */
  public Shape inputShape(long batchSize) {
    return new Shape(batchSize, 1, config.inputHeight(), config.inputWidth());
  }

  private static Conv2d pointwise(int filters) {
    return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    int depth = config.depth();
    NDArray[] skips = new NDArray[depth];
    for (int level = 0; level < depth; level++) {
      skips[level] = run(encoders.get(level), ps, x, training, params);
      x = Pool.maxPool2d(skips[level], new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }
    x = run(bottleneck, ps, x, training, params);
    // The auxiliary output only supervises training; inference skips it.
    NDArray auxiliary =
        auxiliaryHead == null || !training ? null : run(auxiliaryHead, ps, x, training, params);
    for (int level = depth - 1; level >= 0; level--) {
      x = run(upsamplers.get(level), ps, x, training, params);
      if (config.variant().modifiedUpsampling()) {
        x = Activation.leakyRelu(x, config.leakySlope());
      }
      x = NDArrays.concat(new NDList(x, skips[level]), 1);
      x = run(decoders.get(level), ps, x, training, params);
    }
    NDArray logits = run(head, ps, x, training, params);
    return auxiliary == null ? new NDList(logits) : new NDList(logits, auxiliary);
  }

  private static NDArray run(
      Block block, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> p) {
    return block.forward(ps, new NDList(x), training, p).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    Shape logits = new Shape(s.get(0), config.classes(), s.get(2), s.get(3));
    if (auxiliaryHead == null) {
      return new Shape[] {logits};
    }
    int f = config.downsampling();
    return new Shape[] {logits, new Shape(s.get(0), config.classes(), s.get(2) / f, s.get(3) / f)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    if (s.dimension() != 4 || s.get(1) != 1) {
      throw new IllegalArgumentException("UNet expects [N, 1, H, W] input, got " + s);
    }
    int depth = config.depth();
    Shape[] skipShapes = new Shape[depth];
    for (int level = 0; level < depth; level++) {
      s = initialize(encoders.get(level), manager, dataType, s);
      skipShapes[level] = s;
      s = new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
    }
    s = initialize(bottleneck, manager, dataType, s);
    if (auxiliaryHead != null) {
      initialize(auxiliaryHead, manager, dataType, s);
    }
    for (int level = depth - 1; level >= 0; level--) {
      s = initialize(upsamplers.get(level), manager, dataType, s);
      Shape skip = skipShapes[level];
      s = new Shape(s.get(0), s.get(1) + skip.get(1), s.get(2), s.get(3));
      s = initialize(decoders.get(level), manager, dataType, s);
    }
    initialize(head, manager, dataType, s);
  }

  private static Shape initialize(Block block, NDManager manager, DataType dataType, Shape in) {
    block.initialize(manager, dataType, in);
    return block.getOutputShapes(new Shape[] {in})[0];
  }
}
