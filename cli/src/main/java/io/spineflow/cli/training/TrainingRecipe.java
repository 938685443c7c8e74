package io.spineflow.cli.training;

import io.spineflow.imaging.labels.AnatomicalPriors;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.augment.SliceAugmentation;
import io.spineflow.model.augment.SliceAugmentations;
import io.spineflow.model.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How offline training trains, the one recipe {@code train} and {@code evaluate --folds} share:
 * model profile, phantoms mixed in, seed, on-the-fly augmentation, stopping rules. {@link
 * RecipeTrainer} runs it.
 *
 * @param profile {@code cpu} or {@code paper} ({@link TrainingOptions#profile}), or {@value
 *     #QUICK}: the cpu schedule on a small network (64×64 slices, base width 8, depth 3, as {@code
 *     demo --quick}) for smoke tests
 * @param phantoms labelled phantom studies mixed into the data (0: none)
 * @param randomisedPhantoms share of those phantoms rendered randomised (SynthSeg-style), 0..1
 * @param seed seeds the weights, shuffles, augmentation (and, for folds, the fold assignment)
 * @param augment whether training slices are augmented on the fly (never validation slices)
 * @param augmentStrength scales every augmentation family, 0..3 (1: the defaults)
 * @param anatomicalPriors whether partial labels are completed where anatomy is certain ({@link
 *     AnatomicalPriors}: background in front of the column and behind the posterior elements, disc
 *     between labelled bodies, body between labelled discs)
 * @param balanceSets whether the training slices of small sets are repeated ({@link
 *     TrainingData#balanceFactor})
 * @param budget wall-clock budget of one run (null: none)
 * @param targetDice stop once every validated class reaches it (NaN: never)
 * @param maxEpochs epochs at most (0: the profile's)
 */
public record TrainingRecipe(
    String profile,
    int phantoms,
    double randomisedPhantoms,
    int seed,
    boolean augment,
    double augmentStrength,
    boolean anatomicalPriors,
    boolean balanceSets,
    Duration budget,
    double targetDice,
    int maxEpochs) {

  /** The small smoke-test profile. */
  public static final String QUICK = "quick";

  /** Seed of the first phantom study, as the demo's and the benchmark's phantoms. */
  public static final long FIRST_PHANTOM_SEED = 1000;

  /** Checks the values. */
  public TrainingRecipe {
    // validates the phantom count and share
    new TrainingData.Mix(phantoms, FIRST_PHANTOM_SEED, randomisedPhantoms, null, balanceSets);
    if (maxEpochs < 0) {
      throw new IllegalArgumentException("--epochs must be >= 0: " + maxEpochs);
    }
    if (augment) {
      augmentation(augmentStrength); // validates the strength
    }
    // validates the profile, budget and target (the fields are not assigned yet)
    profileBuilder(profile).optTimeBudget(budget).optTargetDice(targetDice).build();
  }

  /** The profile's options builder; {@value #QUICK} is the cpu schedule on a small network. */
  private static TrainingOptions.Builder profileBuilder(String profile) {
    if (profile.equals(QUICK)) {
      return TrainingOptions.profile("cpu")
          .setArchitecture(UNetConfig.profile("cpu").withInputSize(64, 64).withWidths(8, 3, 64));
    }
    return TrainingOptions.profile(profile);
  }

  /** The same recipe with another seed (e.g. one run of a multi-seed benchmark). */
  public TrainingRecipe withSeed(int newSeed) {
    return new TrainingRecipe(
        profile,
        phantoms,
        randomisedPhantoms,
        newSeed,
        augment,
        augmentStrength,
        anatomicalPriors,
        balanceSets,
        budget,
        targetDice,
        maxEpochs);
  }

  /** What the recipe adds to the studies on disk, and how it prepares them. */
  public TrainingData.Mix mix() {
    return new TrainingData.Mix(
        phantoms,
        FIRST_PHANTOM_SEED,
        randomisedPhantoms,
        anatomicalPriors ? AnatomicalPriors.defaults() : null,
        balanceSets);
  }

  /** The network the recipe trains. */
  public UNetConfig architecture() {
    return options(null, null, false).architecture();
  }

  /**
   * The training options of one run.
   *
   * @param checkpointDir where the run keeps its checkpoints (null: a temporary directory)
   * @param runId names the run's checkpoints (null: random)
   * @param resume continue the run's last checkpoint
   */
  public TrainingOptions options(Path checkpointDir, String runId, boolean resume) {
    TrainingOptions.Builder b = profileBuilder(profile);
    b.optSeed(seed)
        .optTimeBudget(budget)
        .optTargetDice(targetDice)
        .optAugmentation(augment ? augmentation(augmentStrength) : SliceAugmentation.NONE)
        .optCheckpointDir(checkpointDir)
        .optRunId(runId)
        .optResume(resume);
    if (maxEpochs > 0) {
      b.optMaxEpochs(maxEpochs);
    }
    return b.build();
  }

  /**
   * What the recipe is, for the model card and for checking that a resumed run is the same run:
   * everything but the stopping rules (a resumed run may be given more time or epochs).
   */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("profile", profile);
    d.put("phantoms", phantoms);
    d.put(
        "phantomSeeds",
        phantoms == 0 ? List.of() : List.of(FIRST_PHANTOM_SEED, FIRST_PHANTOM_SEED + phantoms - 1));
    d.put("randomisedPhantoms", randomisedPhantoms);
    d.put("seed", seed);
    Map<String, Object> augmentation = new LinkedHashMap<>();
    augmentation.put("enabled", augment);
    augmentation.put("strength", augment ? augmentStrength : 0.0);
    augmentation.put(
        "families",
        "crop, scaling, rotation, elastic, bias field, gamma, contrast, blur, lower resolution,"
            + " noise; never mirrored");
    d.put("augmentation", augmentation);
    d.put("anatomicalPriors", anatomicalPriors);
    d.put("balanceSets", balanceSets);
    TrainingOptions o = options(null, null, false);
    d.put("loss", o.loss());
    d.put("learningRate", (double) o.learningRate());
    d.put("batchSize", o.batchSize());
    d.put("validationFraction", TrainingData.VALIDATION_FRACTION);
    return d;
  }

  private static SliceAugmentation augmentation(double strength) {
    return SliceAugmentations.builder().optStrength(strength).build();
  }
}
