package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ValidationScores;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

  private final PromotionGate gate = new PromotionGate(0.5, 0.01, 0.03);

  /** Scores with the given foreground Dice (vertebrae, canal, discs); IoU = Dice/(2-Dice). */
  static ValidationScores scores(double vertebrae, double canal, double discs) {
    Map<SpineClass, Double> dice = new EnumMap<>(SpineClass.class);
    dice.put(SpineClass.BACKGROUND, 0.99);
    dice.put(SpineClass.VERTEBRAE, vertebrae);
    dice.put(SpineClass.SPINAL_CANAL, canal);
    dice.put(SpineClass.DISCS, discs);
    Map<SpineClass, Double> iou = new EnumMap<>(SpineClass.class);
    dice.forEach((c, d) -> iou.put(c, d / (2 - d)));
    return new ValidationScores(dice, iou, 10);
  }

  @Test
  void firstModelNeedsTheMinimumMeanDice() {
    PromotionGate.Decision yes = gate.decide(scores(0.6, 0.5, 0.4), Optional.empty());
    assertThat(yes.promote()).isTrue();
    assertThat(yes.reason()).contains("first model").contains("0.5000");
    PromotionGate.Decision no = gate.decide(scores(0.5, 0.4, 0.4), Optional.empty());
    assertThat(no.promote()).isFalse();
    assertThat(no.reason()).contains("below the minimum").contains("0.4333");
  }

  @Test
  void aCandidateAsGoodAsTheLiveModelIsPromoted() {
    ValidationScores live = scores(0.90, 0.85, 0.88);
    assertThat(gate.decide(scores(0.90, 0.85, 0.88), Optional.of(live)).promote()).isTrue();
    assertThat(gate.decide(scores(0.95, 0.90, 0.90), Optional.of(live)).promote()).isTrue();
  }

  @Test
  void meanMarginIsHonoured() {
    ValidationScores live = scores(0.90, 0.90, 0.90);
    // Each class 0.009 lower: mean 0.009 lower, inside the 0.01 margin.
    assertThat(gate.decide(scores(0.891, 0.891, 0.891), Optional.of(live)).promote()).isTrue();
    // Each class 0.02 lower: inside the class margin (0.03), outside the mean margin (0.01).
    PromotionGate.Decision d = gate.decide(scores(0.88, 0.88, 0.88), Optional.of(live));
    assertThat(d.promote()).isFalse();
    assertThat(d.reason())
        .contains("mean Dice 0.8800")
        .contains("0.9000")
        .doesNotContain("discs Dice");
  }

  @Test
  void noClassMayDropByMoreThanTheClassMargin() {
    ValidationScores live = scores(0.90, 0.90, 0.90);
    // The mean rises (0.95 + 0.95 + 0.86 = 0.92), but discs drop by 0.04 > 0.03.
    PromotionGate.Decision d = gate.decide(scores(0.95, 0.95, 0.86), Optional.of(live));
    assertThat(d.promote()).isFalse();
    assertThat(d.reason())
        .contains("discs Dice 0.8600")
        .contains("0.0400")
        .doesNotContain("mean Dice");
    // A drop of 0.025 is within the margin.
    assertThat(gate.decide(scores(0.95, 0.95, 0.875), Optional.of(live)).promote()).isTrue();
  }

  @Test
  void aClassUndefinedForEitherModelIsNotCompared() {
    // Canal undefined for the candidate (absent from every label and prediction): only vertebrae
    // and discs are compared, and the means (over defined classes) agree.
    ValidationScores live = scores(0.90, 0.90, 0.90);
    assertThat(gate.decide(scores(0.90, Double.NaN, 0.90), Optional.of(live)).promote()).isTrue();
    assertThat(
            gate.decide(scores(0.90, 0.10, 0.90), Optional.of(scores(0.90, Double.NaN, 0.90)))
                .reason())
        .doesNotContain("spinal_canal");
  }

  @Test
  void anUndefinedCandidateIsNeverPromoted() {
    ValidationScores undefined = scores(Double.NaN, Double.NaN, Double.NaN);
    assertThat(gate.decide(undefined, Optional.empty()).promote()).isFalse();
    assertThat(gate.decide(undefined, Optional.of(scores(0.1, 0.1, 0.1))).promote()).isFalse();
  }

  @Test
  void thresholdsMustBeFractions() {
    assertThatThrownBy(() -> new PromotionGate(1.5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PromotionGate(0.5, -0.1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PromotionGate(0.5, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMeansCompareOnlyClassesDefinedForBothModels() {
    // The live model was scored on a set that defined the canal (where it was weak); the
    // candidate's set does not: its higher mean over two classes must not be compared with the
    // live model's mean over three. On the two common classes the candidate is 0.05 worse.
    ValidationScores live = scores(0.90, 0.30, 0.90);
    ValidationScores candidate = scores(0.85, Double.NaN, 0.85);
    PromotionGate.Decision d =
        new PromotionGate(0.5, 0.01, 0.5).decide(candidate, Optional.of(live));
    assertThat(d.promote()).isFalse();
    assertThat(d.reason()).contains("mean Dice 0.8500").contains("live model's 0.9000");
    // And an undefined class is never read as 0: the candidate with the canal undefined is
    // promoted against a live model that is no better on the classes both define.
    assertThat(
            gate.decide(scores(0.9, Double.NaN, 0.9), Optional.of(scores(0.9, 0.95, 0.9)))
                .promote())
        .isTrue();
  }

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final SortedSet<String> REFERENCE = new TreeSet<>(List.of("ref-1", "ref-2"));

  private static Optional<PromotionGate.FloorCheck> floor(
      QualityFloor floor, ValidationScores onReference) {
    return Optional.of(new PromotionGate.FloorCheck(floor, onReference, ""));
  }

  @Test
  void aLiveModelOfAnotherInputSizeIsJudgedByTheFloorAloneOrRejected() {
    PromotionGate.Live otherSize = PromotionGate.Live.unscored("live v3 takes 64x64 slices");
    // No floor: never judged as a first model, however good the candidate.
    PromotionGate.Decision noFloor =
        gate.decide(scores(0.99, 0.99, 0.99), otherSize, Optional.empty());
    assertThat(noFloor.promote()).isFalse();
    assertThat(noFloor.reason())
        .contains("cannot be compared")
        .contains("64x64")
        .contains("no quality floor");
    QualityFloor f = QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 3, NOW);
    PromotionGate.Decision good =
        gate.decide(scores(0.5, 0.5, 0.5), otherSize, floor(f, scores(0.9, 0.9, 0.89)));
    assertThat(good.promote()).isTrue();
    assertThat(good.reason()).contains("floor alone").contains("quality floor 0.9000");
    PromotionGate.Decision bad =
        gate.decide(scores(0.95, 0.95, 0.95), otherSize, floor(f, scores(0.9, 0.9, 0.8)));
    assertThat(bad.promote()).isFalse();
    assertThat(bad.reason()).contains("reference-set discs Dice 0.8000");
    // A floor none of whose classes is scored on what is left of the reference set: rejected.
    PromotionGate.Decision unscored =
        gate.decide(
            scores(0.95, 0.95, 0.95),
            otherSize,
            Optional.of(
                new PromotionGate.FloorCheck(
                    f, ReferenceSet.undefined(), "2 of the 2 reference studies are gone")));
    assertThat(unscored.promote()).isFalse();
    assertThat(unscored.reason())
        .contains("floor cannot be evaluated")
        .contains("2 of the 2 reference studies are gone");
  }

  @Test
  void aCandidateBetterThanTheLiveModelIsStillHeldToTheFloor() {
    QualityFloor f = QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 1, NOW);
    // The live model drifted down to 0.80; the candidate beats it on the moving validation set,
    // but on the pinned reference studies it is 0.05 below the floor.
    PromotionGate.Decision d =
        gate.decide(
            scores(0.82, 0.82, 0.82),
            PromotionGate.Live.scored(scores(0.8, 0.8, 0.8)),
            floor(f, scores(0.85, 0.85, 0.85)));
    assertThat(d.promote()).isFalse();
    assertThat(d.reason())
        .contains("reference-set mean Dice 0.8500 is 0.0500 below the quality floor 0.9000")
        .doesNotContain("live model's");
    // With no live model at all, the floor still applies on top of the first-model minimum.
    assertThat(
            gate.decide(
                    scores(0.82, 0.82, 0.82),
                    PromotionGate.Live.none(),
                    floor(f, scores(0.85, 0.85, 0.85)))
                .promote())
        .isFalse();
  }

  @Test
  void tenCandidatesEachJustInsideTheMarginCannotRatchetQualityDown() {
    // Each candidate is 0.009 below the live model on every class (mean margin 0.01): judged only
    // against the live model, ten promotions would lose 0.09. Scored on the pinned reference set
    // against the floor, none may end more than the margin below the floor.
    QualityFloor f = QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 1, NOW);
    double live = 0.9;
    int version = 1;
    double lowestPromoted = live;
    int promoted = 0;
    for (int i = 0; i < 10; i++) {
      double candidate = live - 0.009;
      PromotionGate.Decision d =
          gate.decide(
              scores(candidate, candidate, candidate),
              PromotionGate.Live.scored(scores(live, live, live)),
              floor(f, scores(candidate, candidate, candidate)));
      if (d.promote()) {
        promoted++;
        version++;
        live = candidate;
        lowestPromoted = Math.min(lowestPromoted, candidate);
        f = f.raise(scores(candidate, candidate, candidate), version, NOW);
      } else {
        assertThat(d.reason()).contains("below the quality floor 0.9000");
      }
    }
    assertThat(f.meanDice()).as("the floor never falls").isEqualTo(0.9);
    assertThat(lowestPromoted).isGreaterThanOrEqualTo(0.9 - gate.meanDiceMargin());
    assertThat(promoted).as("the first drift is accepted, the second not").isEqualTo(1);
  }
}
