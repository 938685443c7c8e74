package io.spineflow.model.augment;

import java.util.function.DoubleFunction;

/**
 * The augmentation families {@link SliceAugmentations} composes, in the order they are applied:
 * geometry first (so intensity noise is not interpolated), then intensity. Each has a default
 * probability and its parameters at strength 1; strength scales the parameters linearly. Mirroring
 * is not a family: a horizontal flip of a sagittal slice swaps anterior and posterior.
 */
public enum AugmentationFamily {
  /** Crop-and-resize: windows down to 80 % of the side at strength 1. */
  CROP(true, 0.3, s -> new CropAugmentation(Math.max(0.3, 1 - 0.2 * s))),
  /** Isotropic zoom, up to ±10 %. */
  SCALING(true, 0.3, s -> new ScalingAugmentation(Math.min(1, 0.1 * s))),
  /** Rotation, up to ±10°. */
  ROTATION(true, 0.3, s -> new RotationAugmentation(Math.min(45, 10 * s))),
  /** Elastic deformation, nodes displaced by up to 3 pixels (SD) on a 4×4 grid. */
  ELASTIC(true, 0.2, s -> new ElasticAugmentation(Math.min(64, 3 * s), 4)),
  /** Coil shading, coefficients up to ±0.3. */
  BIAS_FIELD(false, 0.3, s -> new BiasFieldAugmentation(Math.min(1, 0.3 * s))),
  /** Gamma, |ln γ| up to 0.4. */
  GAMMA(false, 0.3, s -> new GammaAugmentation(Math.min(2, 0.4 * s))),
  /** Contrast, up to ±25 %. */
  CONTRAST(false, 0.3, s -> new ContrastAugmentation(Math.min(1, 0.25 * s))),
  /** Gaussian blur, σ up to 1 pixel. */
  BLUR(false, 0.15, s -> new BlurAugmentation(Math.min(8, s))),
  /** Lower resolution, down to half. */
  LOW_RESOLUTION(false, 0.15, s -> new LowResolutionAugmentation(Math.min(8, 1 + s))),
  /** Gaussian noise, σ up to 0.03. */
  NOISE(false, 0.3, s -> new NoiseAugmentation(Math.min(0.5, 0.03 * s)));

  private final boolean geometric;
  private final double defaultProbability;
  private final DoubleFunction<SliceAugmentation> atStrength;

  AugmentationFamily(
      boolean geometric, double defaultProbability, DoubleFunction<SliceAugmentation> atStrength) {
    this.geometric = geometric;
    this.defaultProbability = defaultProbability;
    this.atStrength = atStrength;
  }

  /** True when the family moves pixels (and so the label). */
  public boolean geometric() {
    return geometric;
  }

  /** How often the family is applied unless told otherwise. */
  public double defaultProbability() {
    return defaultProbability;
  }

  /** The family's augmentation at {@code strength} (1 = the defaults above, 0 = identity). */
  public SliceAugmentation at(double strength) {
    return atStrength.apply(strength);
  }
}
