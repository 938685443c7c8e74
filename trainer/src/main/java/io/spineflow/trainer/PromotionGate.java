package io.spineflow.trainer;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ValidationScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a candidate model replaces the live one, from both models' scores on the same
 * validation set.
 *
 * <ul>
 *   <li>No live model (or it cannot be scored): promote when the candidate's mean foreground Dice
 *       reaches {@code firstModelMinMeanDice}.
 *   <li>Otherwise promote unless the candidate's mean Dice is more than {@code meanDiceMargin}
 *       below the live model's, or any foreground class's Dice is more than {@code classDiceMargin}
 *       below the live model's for that class. Both means are taken over the classes defined for
 *       both models; a class undefined for either (no validation slice labels it, or it is absent
 *       from every label and prediction) is not compared.
 * </ul>
 *
 * A candidate whose mean Dice is undefined (NaN) is never promoted.
 *
 * @param firstModelMinMeanDice the least mean Dice of a first model, in [0, 1]
 * @param meanDiceMargin how far the mean Dice may fall below the live model's, in [0, 1]
 * @param classDiceMargin how far any class's Dice may fall below the live model's, in [0, 1]
 */
public record PromotionGate(
    double firstModelMinMeanDice, double meanDiceMargin, double classDiceMargin) {

  /**
   * The outcome.
   *
   * @param promote whether to promote the candidate
   * @param reason why, with the numbers, for logs and the {@code training} topic
   */
  public record Decision(boolean promote, String reason) {}

  /** Checks the thresholds. */
  public PromotionGate {
    check("firstModelMinMeanDice", firstModelMinMeanDice);
    check("meanDiceMargin", meanDiceMargin);
    check("classDiceMargin", classDiceMargin);
  }

  /**
   * Decides.
   *
   * @param candidate the new model's scores
   * @param live the live model's scores on the same validation set; empty when there is no live
   *     model
   */
  public Decision decide(ValidationScores candidate, Optional<ValidationScores> live) {
    double mean = candidate.meanDice();
    if (Double.isNaN(mean)) {
      return new Decision(false, "candidate mean Dice is undefined (no class scored)");
    }
    if (live.isEmpty()) {
      if (mean >= firstModelMinMeanDice) {
        return new Decision(
            true,
            String.format(
                Locale.ROOT,
                "first model: mean Dice %.4f >= minimum %.4f",
                mean,
                firstModelMinMeanDice));
      }
      return new Decision(
          false,
          String.format(
              Locale.ROOT,
              "first model: mean Dice %.4f below the minimum %.4f",
              mean,
              firstModelMinMeanDice));
    }
    ValidationScores current = live.get();
    List<String> failures = new ArrayList<>();
    // Only the classes both models are scored on: a class undefined for one of them (e.g. labelled
    // by no validation slice) would otherwise move one mean and not the other.
    List<SpineClass> common =
        SpineClass.FOREGROUND.stream()
            .filter(c -> candidate.defined(c) && current.defined(c))
            .toList();
    double liveMean = current.meanDice(common);
    mean = candidate.meanDice(common);
    if (!Double.isNaN(liveMean) && mean < liveMean - meanDiceMargin) {
      failures.add(
          String.format(
              Locale.ROOT,
              "mean Dice %.4f is %.4f below the live model's %.4f (margin %.4f)",
              mean,
              liveMean - mean,
              liveMean,
              meanDiceMargin));
    }
    for (SpineClass c : SpineClass.FOREGROUND) {
      double mine = candidate.dice(c);
      double theirs = current.dice(c);
      if (Double.isNaN(mine) || Double.isNaN(theirs)) {
        continue;
      }
      if (mine < theirs - classDiceMargin) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s Dice %.4f is %.4f below the live model's %.4f (margin %.4f)",
                ValidationScores.key(c),
                mine,
                theirs - mine,
                theirs,
                classDiceMargin));
      }
    }
    if (!failures.isEmpty()) {
      return new Decision(false, String.join("; ", failures));
    }
    return new Decision(
        true,
        String.format(
            Locale.ROOT,
            "mean Dice %.4f vs live %.4f (margin %.4f), no class more than %.4f below the live"
                + " model",
            mean,
            liveMean,
            meanDiceMargin,
            classDiceMargin));
  }

  private static void check(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
    }
  }
}
