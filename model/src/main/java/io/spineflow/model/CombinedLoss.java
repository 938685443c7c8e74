package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Objects;

/** A weighted sum of losses, e.g. Ahmed et al.'s {@code 0.6·focal + 0.4·Dice}. */
public final class CombinedLoss extends SegmentationLoss {

  /**
   * One weighted component.
   *
   * @param weight factor of this loss in the sum
   * @param loss the component
   */
  public record Term(float weight, Loss loss) {
    /** Checks the weight is finite and the loss present. */
    public Term {
      Objects.requireNonNull(loss, "loss");
      if (!Float.isFinite(weight)) {
        throw new IllegalArgumentException("weight must be finite: " + weight);
      }
    }
  }

  private final List<Term> terms;

  /**
   * @param name the combined loss's name
   * @param terms the weighted components, at least one
   */
  public CombinedLoss(String name, List<Term> terms) {
    super(name);
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a combined loss needs at least one term");
    }
    this.terms = List.copyOf(terms);
  }

  /**
   * Ahmed et al.'s loss: {@code 0.6·focal(γ=4) + 0.4·Dice} (their {@code α = 0.6} and {@code γ =
   * 4}).
   */
  public static CombinedLoss focalDice() {
    return focalDice(0.6f, 0.4f, FocalLoss.PAPER_GAMMA);
  }

  /** {@code focalWeight·focal(gamma) + diceWeight·Dice}. */
  public static CombinedLoss focalDice(float focalWeight, float diceWeight, float gamma) {
    return new CombinedLoss(
        "focal-dice",
        List.of(
            new Term(focalWeight, new FocalLoss(gamma, null)),
            new Term(diceWeight, new DiceLoss())));
  }

  /** Silveira et al.'s multi-class loss: {@code 1·CE + 1·Dice}. */
  public static CombinedLoss crossEntropyDice() {
    return new CombinedLoss(
        "ce-dice",
        List.of(new Term(1f, new CategoricalCrossEntropyLoss()), new Term(1f, new DiceLoss())));
  }

  /** The weighted components. */
  public List<Term> terms() {
    return terms;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray sum = null;
    for (Term term : terms) {
      NDArray part = term.loss().evaluate(labels, predictions).mul(term.weight());
      sum = sum == null ? part : sum.add(part);
    }
    return sum;
  }
}
