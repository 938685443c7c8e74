package io.spineflow.cli.evaluation;

/** The columns of the partial-label table. */
public enum ScopedMetric {
  /** Dice of a completely labelled class, per slice. */
  DICE("Dice"),
  /** IoU (Jaccard) of a completely labelled class, per slice. */
  IOU("IoU"),
  /** Precision of a completely labelled class, per slice. */
  PRECISION("Precision"),
  /** Recall of a completely labelled class, per slice. */
  RECALL("Recall"),
  /** Bodies-only labels: labelled body pixels predicted as vertebra ÷ labelled body pixels. */
  BODY_RECALL("Body recall"),
  /** Bodies-only labels: predicted vertebra area ÷ labelled body area. */
  AREA_RATIO("Vertebra/body area");

  private final String heading;

  ScopedMetric(String heading) {
    this.heading = heading;
  }

  /** The column heading. */
  public String heading() {
    return heading;
  }

  /** The JSON key, e.g. {@code bodyRecall}. */
  public String key() {
    String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder key = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return key.toString();
  }
}
