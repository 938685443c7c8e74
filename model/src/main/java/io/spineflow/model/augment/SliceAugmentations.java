package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A configurable chain of augmentation families ({@link AugmentationFamily}), each applied with its
 * probability, in the families' order. The chain draws one number per family whether or not the
 * family fires, so a given {@link Random} seed gives the same output whatever the configuration of
 * the families before it.
 *
 * <pre>{@code
 * SliceAugmentation augment = SliceAugmentations.builder().optStrength(0.5).build();
 * SliceAugmentation intensityOnly = SliceAugmentations.builder().optGeometry(false).build();
 * }</pre>
 */
public final class SliceAugmentations implements SliceAugmentation {
  private final List<Map.Entry<AugmentationFamily, SliceAugmentation>> steps;
  private final Map<AugmentationFamily, Double> probabilities;

  private SliceAugmentations(Builder b) {
    List<Map.Entry<AugmentationFamily, SliceAugmentation>> list = new ArrayList<>();
    for (AugmentationFamily f : AugmentationFamily.values()) {
      list.add(Map.entry(f, f.at(b.strength)));
    }
    this.steps = Collections.unmodifiableList(list);
    this.probabilities = Collections.unmodifiableMap(new EnumMap<>(b.probabilities));
  }

  /** A builder with every family at its default probability and strength 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** The probability each family is applied with (0 = off). */
  public Map<AugmentationFamily, Double> probabilities() {
    return probabilities;
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    LabelledSlice current = slice;
    for (Map.Entry<AugmentationFamily, SliceAugmentation> step : steps) {
      // Always draw, so one family's setting does not shift the random stream of the next.
      double draw = random.nextDouble();
      if (draw < probabilities.get(step.getKey())) {
        current = step.getValue().augment(current, random);
      }
    }
    return current;
  }

  /** Which families, how often, how strong. */
  public static final class Builder {
    private final Map<AugmentationFamily, Double> probabilities =
        new EnumMap<>(AugmentationFamily.class);
    private double strength = 1;

    private Builder() {
      for (AugmentationFamily f : AugmentationFamily.values()) {
        probabilities.put(f, f.defaultProbability());
      }
    }

    /**
     * Scales every family's parameters (rotation angle, noise level, ...): 0 is no change, 1 the
     * defaults, at most 3.
     */
    public Builder optStrength(double strength) {
      if (!(strength >= 0 && strength <= 3)) {
        throw new IllegalArgumentException("augmentation strength must be 0..3: " + strength);
      }
      this.strength = strength;
      return this;
    }

    /** Sets how often {@code family} is applied, 0..1 (0 switches it off). */
    public Builder optProbability(AugmentationFamily family, double probability) {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException(family + " probability must be 0..1: " + probability);
      }
      probabilities.put(family, probability);
      return this;
    }

    /** Switches the geometric families off ({@code false}) or back to their defaults. */
    public Builder optGeometry(boolean on) {
      return setKind(true, on);
    }

    /** Switches the intensity families off ({@code false}) or back to their defaults. */
    public Builder optIntensity(boolean on) {
      return setKind(false, on);
    }

    private Builder setKind(boolean geometric, boolean on) {
      for (AugmentationFamily f : AugmentationFamily.values()) {
        if (f.geometric() == geometric) {
          probabilities.put(f, on ? f.defaultProbability() : 0.0);
        }
      }
      return this;
    }

    /** The chain. */
    public SliceAugmentations build() {
      return new SliceAugmentations(this);
    }
  }
}
