package io.spineflow.trainer;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ValidationScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a candidate model replaces the live one, from both models' scores on the same
 * validation set and the candidate's scores on the {@link QualityFloor}'s reference set.
 *
 * <ul>
 *   <li>No live model at all: promote when the candidate's mean foreground Dice reaches {@code
 *       firstModelMinMeanDice}.
 *   <li>A live model that takes another input size (so it cannot be scored on these slices): judged
 *       by the floor alone; with no floor to judge by, rejected (never judged as a first model:
 *       that would let any candidate replace a model nobody compared it with). A live model that
 *       cannot be loaded never reaches the gate: the run fails and is retried ({@link
 *       CandidateRun}).
 *   <li>A scored live model: promote unless the candidate's mean Dice is more than {@code
 *       meanDiceMargin} below the live model's, or any foreground class's Dice is more than {@code
 *       classDiceMargin} below the live model's for that class. Both means are taken over the
 *       classes defined for both models; a class undefined for either (no validation slice labels
 *       it, or it is absent from every label and prediction) is not compared.
 *   <li>And in every case, when there is a floor: the candidate's mean Dice on the reference set
 *       may be at most {@code meanDiceMargin} below the floor's mean, and each class's Dice at most
 *       {@code classDiceMargin} below that class's floor (classes the reference set does not define
 *       for the candidate are not compared). The floor only rises, so however many candidates each
 *       lose a margin against their live model, none ends more than the margin below the best
 *       quality accepted before it.
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

  /**
   * The live model as the gate sees it.
   *
   * @param scores its scores on the candidate's validation set; empty when there is no live model
   *     or it could not be scored
   * @param exists whether there is a live model at all
   * @param note why an existing live model is not scored (e.g. another input size), for the reason
   */
  public record Live(Optional<ValidationScores> scores, boolean exists, String note) {
    /** No live model: the candidate is a first model. */
    public static Live none() {
      return new Live(Optional.empty(), false, "");
    }

    /** A live model scored on the same validation set. */
    public static Live scored(ValidationScores scores) {
      return new Live(Optional.of(scores), true, "");
    }

    /** A live model that exists but could not be scored on these slices, and why. */
    public static Live unscored(String note) {
      return new Live(Optional.empty(), true, note);
    }
  }

  /**
   * The floor and the candidate's scores on its reference set.
   *
   * @param floor the floor
   * @param candidate the candidate's scores on the reference studies still at hand
   * @param note what to add to the reason (e.g. reference studies no longer in the cache)
   */
  public record FloorCheck(QualityFloor floor, ValidationScores candidate, String note) {}

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
    return decide(candidate, live.map(Live::scored).orElse(Live.none()), Optional.empty());
  }

  /**
   * Decides against the live model and the floor.
   *
   * @param candidate the new model's scores on this run's validation set
   * @param live the live model
   * @param floor the floor with the candidate's reference scores; empty when no floor is set yet
   */
  public Decision decide(ValidationScores candidate, Live live, Optional<FloorCheck> floor) {
    if (Double.isNaN(candidate.meanDice())) {
      return new Decision(false, "candidate mean Dice is undefined (no class scored)");
    }
    Decision vsLive;
    if (live.scores().isPresent()) {
      vsLive = againstLive(candidate, live.scores().get());
    } else if (live.exists()) {
      if (floor.isEmpty()) {
        return new Decision(
            false,
            "the live model cannot be compared ("
                + live.note()
                + ") and there is no quality floor to judge the candidate by");
      }
      vsLive = new Decision(true, "judged by the quality floor alone (" + live.note() + ")");
    } else {
      vsLive = firstModel(candidate.meanDice());
    }
    if (floor.isEmpty()) {
      return vsLive;
    }
    Decision vsFloor = againstFloor(floor.get());
    boolean promote = vsLive.promote() && vsFloor.promote();
    List<String> reasons = new ArrayList<>();
    // A rejection names what failed first; an acceptance names both checks.
    if (!promote) {
      if (!vsLive.promote()) {
        reasons.add(vsLive.reason());
      }
      if (!vsFloor.promote()) {
        reasons.add(vsFloor.reason());
      }
    } else {
      reasons.add(vsLive.reason());
      reasons.add(vsFloor.reason());
    }
    return new Decision(promote, String.join("; ", reasons));
  }

  private Decision againstFloor(FloorCheck check) {
    QualityFloor floor = check.floor();
    ValidationScores scores = check.candidate();
    List<SpineClass> common =
        SpineClass.FOREGROUND.stream()
            .filter(c -> scores.defined(c) && !Double.isNaN(floor.dice(c)))
            .toList();
    String note = check.note().isEmpty() ? "" : " (" + check.note() + ")";
    if (common.isEmpty()) {
      return new Decision(
          false,
          "the quality floor cannot be evaluated: no class of the floor is scored on its "
              + floor.referenceStudies().size()
              + " reference studies"
              + note);
    }
    double mean = scores.meanDice(common);
    List<String> failures = new ArrayList<>();
    if (mean < floor.meanDice() - meanDiceMargin) {
      failures.add(
          String.format(
              Locale.ROOT,
              "reference-set mean Dice %.4f is %.4f below the quality floor %.4f (margin %.4f)",
              mean,
              floor.meanDice() - mean,
              floor.meanDice(),
              meanDiceMargin));
    }
    for (SpineClass c : common) {
      double mine = scores.dice(c);
      double least = floor.dice(c);
      if (mine < least - classDiceMargin) {
        failures.add(
            String.format(
                Locale.ROOT,
                "reference-set %s Dice %.4f is %.4f below the quality floor %.4f (margin %.4f)",
                ValidationScores.key(c),
                mine,
                least - mine,
                least,
                classDiceMargin));
      }
    }
    if (!failures.isEmpty()) {
      return new Decision(false, String.join("; ", failures) + note);
    }
    return new Decision(
        true,
        String.format(
                Locale.ROOT,
                "reference-set mean Dice %.4f vs quality floor %.4f (set by v%d, raised by v%d)",
                mean,
                floor.meanDice(),
                floor.setByVersion(),
                floor.raisedByVersion())
            + note);
  }

  private Decision firstModel(double mean) {
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

  private Decision againstLive(ValidationScores candidate, ValidationScores current) {
    List<String> failures = new ArrayList<>();
    // Only the classes both models are scored on: a class undefined for one of them (e.g. labelled
    // by no validation slice) would otherwise move one mean and not the other.
    List<SpineClass> common =
        SpineClass.FOREGROUND.stream()
            .filter(c -> candidate.defined(c) && current.defined(c))
            .toList();
    double liveMean = current.meanDice(common);
    double mean = candidate.meanDice(common);
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
