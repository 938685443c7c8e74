package io.spineflow.dashboard;

/**
 * The Dice rule's view of one class.
 *
 * @param rollingMean mean Dice of the last {@code n} labelled slices where the class is defined
 *     (NaN when none is: e.g. only partial labels that leave the class unlabelled)
 * @param n values in the rolling window (no verdict before it is full, so a class no label labels
 *     never fires)
 * @param baseline the live model's validation Dice of the class; NaN when unknown
 * @param threshold {@code baseline − margin}; NaN when unknown
 * @param firing the window is full and its mean is below the threshold
 */
public record ClassDice(
    int classId,
    String className,
    double rollingMean,
    int n,
    double baseline,
    double threshold,
    boolean firing) {}
