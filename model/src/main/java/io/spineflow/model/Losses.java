package io.spineflow.model;

import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Locale;

/** The losses by the names configuration uses. */
public final class Losses {

  private Losses() {}

  /** The names {@link #named(String)} accepts, the default first. */
  public static List<String> names() {
    return List.of("focal-dice", "dice", "ce", "ce-dice", "tversky", "focal");
  }

  /**
   * A loss by name.
   *
   * <ul>
   *   <li>{@code focal-dice} (default): {@code 0.6·focal(γ=4) + 0.4·Dice}, Ahmed et al., in its
   *       partial-label form ({@link PartialFocalDiceLoss}; equal to {@link
   *       CombinedLoss#focalDice()} on complete labels); the only one that trains on partial labels
   *   <li>{@code dice}: soft multi-class Dice, ε = 1
   *   <li>{@code ce}: categorical cross-entropy
   *   <li>{@code ce-dice}: {@code 1·CE + 1·Dice}, Silveira et al.'s best multi-class loss
   *   <li>{@code tversky}: α = 0.3, β = 0.7
   *   <li>{@code focal}: focal loss alone, γ = 4
   * </ul>
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Loss named(String name) {
    return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
      case "focal-dice" -> new PartialFocalDiceLoss();
      case "dice" -> new DiceLoss();
      case "ce" -> new CategoricalCrossEntropyLoss();
      case "ce-dice" -> CombinedLoss.crossEntropyDice();
      case "tversky" -> new TverskyLoss();
      case "focal" -> new FocalLoss();
      default ->
          throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
    };
  }

  /**
   * The loss to train {@code config} with: {@code loss} itself, wrapped in an {@link
   * AuxiliaryOutputLoss} (weight 1) when the variant has an auxiliary output.
   */
  public static Loss forArchitecture(Loss loss, UNetConfig config) {
    if (config.variant().auxiliaryOutput() && !(loss instanceof AuxiliaryOutputLoss)) {
      return new AuxiliaryOutputLoss(loss, 1f);
    }
    return loss;
  }
}
