package io.spineflow.cli;

import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.platform.ConfigException;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The training recipe's options (a picocli mixin), shared by {@code train}, {@code evaluate
 * --folds} and {@code bench realmri} so all three train the same way ({@link TrainingRecipe}).
 */
public final class RecipeOptions {
  /** Phantoms mixed in unless told otherwise, with or without --data (see the README). */
  static final int DEFAULT_PHANTOMS = 30;

  @Option(
      names = "--phantoms",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_PHANTOMS,
      description =
          "Labelled phantom studies mixed in (default: ${DEFAULT-VALUE}; the canal and whole"
              + " vertebrae are learnt only from them when the data labels discs or bodies only).")
  int phantoms;

  @Option(
      names = "--randomised-phantoms",
      paramLabel = "FRACTION",
      defaultValue = "0.5",
      description =
          "Share of the phantoms rendered randomised (SynthSeg-style random contrasts, resolution"
              + " and artefacts; phantom --randomised), 0..1 (default: ${DEFAULT-VALUE}: the"
              + " out-of-fold ablation's best).")
  double randomisedPhantoms;

  @Option(
      names = "--profile",
      defaultValue = "cpu",
      description =
          "Model and schedule profile: cpu, paper, or quick (64x64, small; smoke tests)"
              + " (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--target-dice",
      defaultValue = "0.90",
      description =
          "Stop once every validated class reaches this Dice (default: ${DEFAULT-VALUE}).")
  double targetDice;

  @Option(
      names = "--budget-minutes",
      defaultValue = "20",
      description = "Stop a run after this many minutes (default: ${DEFAULT-VALUE}).")
  double budgetMinutes;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "0",
      description = "Epochs at most (default: the profile's).")
  int epochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  int seed;

  // Off by default: in the out-of-fold ablation on real scans training without it did no worse
  // (better disc Dice and area ratio) and ran about 3.6 times faster; see the README.
  @Option(
      names = "--augment",
      negatable = true,
      defaultValue = "false",
      fallbackValue = "true",
      description =
          "On-the-fly augmentation of the training slices (--no-augment: none, the default).")
  boolean augment;

  @Option(
      names = "--augment-strength",
      defaultValue = "1.0",
      description =
          "Scales every augmentation (intensity and geometry), 0..3 (default: ${DEFAULT-VALUE}).")
  double augmentStrength;

  @Option(
      names = "--no-anatomical-priors",
      description =
          "Do not complete partial labels where anatomy is certain (background in front of the"
              + " column and behind the posterior elements, disc between labelled bodies, body"
              + " between labelled discs); on by default.")
  boolean noAnatomicalPriors;

  @Option(
      names = "--no-balance",
      description =
          "Do not repeat the training slices of small sets (up to 4 times, towards the mean set"
              + " size); on by default.")
  boolean noBalance;

  /**
   * The recipe these options give.
   *
   * @throws ConfigException naming the first bad option
   */
  public TrainingRecipe recipe() {
    if (!(budgetMinutes > 0)) {
      throw new ConfigException("--budget-minutes", "must be > 0, got " + budgetMinutes);
    }
    if (!(augmentStrength >= 0 && augmentStrength <= 3)) {
      throw new ConfigException("--augment-strength", "must be 0..3, got " + augmentStrength);
    }
    try {
      return new TrainingRecipe(
          profile,
          phantoms,
          randomisedPhantoms,
          seed,
          augment,
          augmentStrength,
          !noAnatomicalPriors,
          !noBalance,
          Duration.ofMillis(Math.round(budgetMinutes * 60_000)),
          targetDice,
          epochs);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String option =
          message.startsWith("--")
              ? message.substring(0, message.indexOf(' '))
              : message.contains("profile") ? "--profile" : "--target-dice";
      throw new ConfigException(option, message);
    }
  }
}
