package io.spineflow.imaging.phantom;

import io.spineflow.imaging.Sequence;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Noise-free MR intensity of each tissue for one study: a sequence-specific table (T1: marrow and
 * fat bright, discs darker than marrow, CSF dark; T2 and T2 SPACE: hydrated nuclei and CSF bright,
 * marrow intermediate), jittered per study like scanners and patients differ, and the Rician noise
 * level. Values are on the 0-2000 scale of SPIDER's unsigned 16-bit images.
 *
 * <p>The distribution shift ({@link PhantomSpec#shift()}) models a low-field scanner imaging an
 * older cohort: contrast compressed towards mid-grey and a lower overall gain, discs dehydrated
 * (the bright T2 nucleus is gone, so discs look like annulus) and on T1 a darker, more cellular
 * marrow (discs and vertebrae nearly iso-intense), and 2.6 times the noise.
 *
 * <p>A randomised model ({@link #randomised}) follows SynthSeg (Billot et al. 2023): every tissue,
 * the disc nucleus included, gets a mean drawn uniformly at random, its own texture strength and a
 * Gaussian spread of voxel values, so no tissue has a fixed place in the intensity order and a
 * network must learn shapes, not grey values.
 */
final class ContrastModel {
  private static final double SHIFT_CONTRAST = 0.6;
  private static final double SHIFT_CONTRAST_CENTRE = 700;
  private static final double SHIFT_GAIN = 0.6;
  private static final double SHIFT_NOISE = 2.6;

  /** Randomised means lie in [0, this); air stays in the lowest {@link #AIR_SHARE} of it. */
  static final double RANDOM_RANGE = 1800;

  private static final double AIR_SHARE = 0.15;

  private final Map<Tissue, Double> intensity;
  private final double nucleus;
  private final double noiseSigma;
  // Randomised models only (null otherwise): per-tissue texture amplitude and voxel spread.
  private final Map<Tissue, Double> texture;
  private final Map<Tissue, Double> spread;

  private ContrastModel(Map<Tissue, Double> intensity, double nucleus, double noiseSigma) {
    this(intensity, nucleus, noiseSigma, null, null);
  }

  private ContrastModel(
      Map<Tissue, Double> intensity,
      double nucleus,
      double noiseSigma,
      Map<Tissue, Double> texture,
      Map<Tissue, Double> spread) {
    this.intensity = intensity;
    this.nucleus = nucleus;
    this.noiseSigma = noiseSigma;
    this.texture = texture;
    this.spread = spread;
  }

  /**
   * A random contrast: each tissue's mean uniform in [0, {@value #RANDOM_RANGE}) (air in the lowest
   * 15%, as a magnitude image has no signal there), the nucleus independent of the annulus, a
   * texture amplitude of 0-25% and a voxel spread of 0-8% of the range per tissue, and a Rician
   * noise level of 0.3-4% of the range.
   */
  static ContrastModel randomised(RandomGenerator random) {
    Map<Tissue, Double> table = new EnumMap<>(Tissue.class);
    Map<Tissue, Double> texture = new EnumMap<>(Tissue.class);
    Map<Tissue, Double> spread = new EnumMap<>(Tissue.class);
    for (Tissue tissue : Tissue.values()) {
      double high = tissue == Tissue.AIR ? AIR_SHARE * RANDOM_RANGE : RANDOM_RANGE;
      table.put(tissue, uniform(random, 0, high));
      texture.put(tissue, uniform(random, 0, 0.25));
      spread.put(tissue, uniform(random, 0, 0.08) * RANDOM_RANGE);
    }
    double nucleus = uniform(random, 0, RANDOM_RANGE);
    double sigma = uniform(random, 0.003, 0.04) * RANDOM_RANGE;
    return new ContrastModel(table, nucleus, sigma, texture, spread);
  }

  static ContrastModel sample(Sequence sequence, boolean shift, RandomGenerator random) {
    Map<Tissue, Double> table = new EnumMap<>(Tissue.class);
    // Columns: T1, T2, T2 SPACE. DISC is the annulus; the hydrated nucleus is separate.
    put(table, sequence, Tissue.AIR, 0, 0, 0);
    put(table, sequence, Tissue.FAT, 1450, 1150, 950);
    put(table, sequence, Tissue.MUSCLE, 520, 380, 360);
    put(table, sequence, Tissue.VISCERA, 650, 780, 700);
    put(table, sequence, Tissue.VESSEL, 90, 70, 110);
    put(table, sequence, Tissue.MARROW, 1050, 560, 540);
    put(table, sequence, Tissue.CORTEX, 140, 110, 120);
    put(table, sequence, Tissue.POSTERIOR_BONE, 780, 460, 440);
    put(table, sequence, Tissue.DISC, 340, 420, 450);
    put(table, sequence, Tissue.CSF, 230, 1850, 1900);
    put(table, sequence, Tissue.CORD, 560, 720, 650);
    put(table, sequence, Tissue.LIGAMENT, 120, 90, 100);
    double nucleus = pick(sequence, 470, 1700, 1600);

    double gain = uniform(random, 0.85, 1.15);
    for (Tissue tissue : Tissue.values()) {
      double jitter = uniform(random, 0.92, 1.08);
      table.put(tissue, table.get(tissue) * jitter * gain);
    }
    // Marrow fat content varies with age far more than other tissues.
    table.put(Tissue.MARROW, table.get(Tissue.MARROW) * uniform(random, 0.87, 1.13));
    nucleus *= uniform(random, 0.92, 1.08) * gain;
    double sigma =
        sequence == Sequence.T2_SPACE ? uniform(random, 28, 42) : uniform(random, 18, 32);

    if (shift) {
      double annulus = table.get(Tissue.DISC);
      if (sequence == Sequence.T1) {
        table.put(Tissue.MARROW, table.get(Tissue.MARROW) * 0.45);
      } else {
        nucleus = annulus + 0.2 * (nucleus - annulus);
      }
      for (Tissue tissue : Tissue.values()) {
        if (tissue != Tissue.AIR) {
          table.put(tissue, compress(table.get(tissue)));
        }
      }
      nucleus = compress(nucleus);
      sigma *= SHIFT_NOISE;
    }
    return new ContrastModel(table, nucleus, sigma);
  }

  private static double compress(double value) {
    return SHIFT_GAIN * (SHIFT_CONTRAST_CENTRE + SHIFT_CONTRAST * (value - SHIFT_CONTRAST_CENTRE));
  }

  /** Intensity of {@code tissue}; for a disc, {@code mix} is its hydrated-nucleus fraction. */
  double intensity(Tissue tissue, double mix) {
    double base = intensity.get(tissue);
    return tissue == Tissue.DISC ? base + mix * (nucleus - base) : base;
  }

  /** Relative strength of the smooth multiplicative texture within {@code tissue}. */
  double textureAmplitude(Tissue tissue) {
    return texture == null ? tissue.textureAmplitude() : texture.get(tissue);
  }

  /** Standard deviation of independent voxel-to-voxel variation within {@code tissue}. */
  double spread(Tissue tissue) {
    return spread == null ? 0 : spread.get(tissue);
  }

  /** Standard deviation of each of the two Gaussian channels of the Rician noise. */
  double noiseSigma() {
    return noiseSigma;
  }

  private static void put(
      Map<Tissue, Double> table,
      Sequence sequence,
      Tissue tissue,
      double t1,
      double t2,
      double sp) {
    table.put(tissue, pick(sequence, t1, t2, sp));
  }

  private static double pick(Sequence sequence, double t1, double t2, double space) {
    return switch (sequence) {
      case T1 -> t1;
      case T2 -> t2;
      case T2_SPACE -> space;
    };
  }

  private static double uniform(RandomGenerator random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
