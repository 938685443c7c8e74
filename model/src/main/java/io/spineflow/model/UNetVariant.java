package io.spineflow.model;

/**
 * Which U-Net the {@link UNet} block builds. All variants use Glorot-uniform convolution kernels:
 * the papers state it (Ahmed et al.) or inherit it as the Keras default (Silveira et al.), so
 * initialisation is not what tells them apart.
 */
public enum UNetVariant {
  /**
   * Ahmed et al. 2025, "Pioneering Precision in Lumbar Spine MRI Segmentation": encoder blocks of
   * Conv+BatchNorm+ReLU and dropout with max pooling, a 512-channel bottleneck in the paper's size,
   * and upsample blocks of a 2×2 stride-2 transposed convolution followed by LeakyReLU ({@code
   * leakySlope}, 0.1 in the paper) against dying ReLUs.
   */
  MODIFIED_UNET(true, false, false),

  /**
   * The baseline: the same encoder/decoder, but a plain up-convolution (no activation after it, as
   * in Ronneberger et al.), so the effect of the paper's upsample block can be measured.
   */
  PLAIN_UNET(false, false, false),

  /**
   * Silveira et al. 2025 ("enhanced U-Net with inception module and dual-output mechanism"): the
   * first encoder block is an Inception module (1×1; 1×1→3×3; 1×1→5×5; 3×3 max-pool→1×1 branches,
   * concatenated), and a 1×1 auxiliary head on the bottleneck gives a second, coarse output for
   * deep supervision (see {@link AuxiliaryOutputLoss}). Up-convolutions as in {@link #PLAIN_UNET}.
   */
  INCEPTION_UNET(false, true, true);

  private final boolean modifiedUpsampling;
  private final boolean inceptionStem;
  private final boolean auxiliaryOutput;

  UNetVariant(boolean modifiedUpsampling, boolean inceptionStem, boolean auxiliaryOutput) {
    this.modifiedUpsampling = modifiedUpsampling;
    this.inceptionStem = inceptionStem;
    this.auxiliaryOutput = auxiliaryOutput;
  }

  /** Whether up-convolutions are followed by LeakyReLU (the paper's upsample block). */
  public boolean modifiedUpsampling() {
    return modifiedUpsampling;
  }

  /** Whether the first encoder block is an Inception module. */
  public boolean inceptionStem() {
    return inceptionStem;
  }

  /**
   * Whether the block returns a second output, the bottleneck's class logits at {@code 1/2^depth}
   * resolution, after the full-resolution logits.
   */
  public boolean auxiliaryOutput() {
    return auxiliaryOutput;
  }
}
