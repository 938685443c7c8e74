package io.spineflow.dashboard;

/** The two kinds of drift alert (see {@link DriftRules}). */
public enum AlertKind {
  /** A class's rolling Dice fell below the live model's validation Dice minus the margin. */
  DICE_BELOW_BASELINE("dice"),
  /** The label-free signals' distribution shifted from the model version's reference. */
  LABEL_FREE_SHIFT("label_free");

  private final String tag;

  AlertKind(String tag) {
    this.tag = tag;
  }

  /** The metric tag and request-id part, e.g. {@code label_free}. */
  public String tag() {
    return tag;
  }
}
