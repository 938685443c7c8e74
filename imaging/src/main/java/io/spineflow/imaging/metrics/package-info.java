/**
 * Pure-Java quality mathematics for 2D segmentations of lumbar-spine slices: per-class overlap and
 * surface metrics against a label ({@link io.spineflow.imaging.metrics.SegmentationMetrics}),
 * label-free signals from the predicted probabilities ({@link
 * io.spineflow.imaging.metrics.LabelFreeSignals}), drift statistics and a drift detector ({@link
 * io.spineflow.imaging.metrics.DriftStatistics}, {@link
 * io.spineflow.imaging.metrics.DriftDetector}) and the papers' evaluation table ({@link
 * io.spineflow.imaging.metrics.EvaluationTable}).
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li><b>Slices</b> are row-major {@code byte[]} of {@code width × height} class values 0..3
 *       ({@link io.spineflow.imaging.metrics.SpineClass}); row 0 is the most superior row.
 *       Probabilities are {@code float[]} in C×H×W order (class-major), C = 4.
 *   <li><b>Spacing</b>: {@link io.spineflow.imaging.metrics.PixelSpacing#columnMm()} is the
 *       distance between horizontally adjacent pixel centres (x, MetaImage {@code
 *       ElementSpacing[0]}), {@link io.spineflow.imaging.metrics.PixelSpacing#rowMm()} between
 *       vertically adjacent ones.
 *   <li><b>Undefined values are {@code NaN}</b>, as in MONAI and DeepMind's {@code
 *       surface-distance}: a class absent from both prediction and label has every metric NaN; a
 *       class present in only one of them scores 0 for Dice, IoU, precision, recall, F1 and NSD,
 *       and its ASD and HD95 are NaN (a distance to nothing). Aggregates skip NaN and say how many
 *       values they averaged.
 *   <li><b>Boundary</b> of a class: its pixels that have a 4-neighbour of another class or lie on
 *       the image edge (the outside counts as another class, as with MONAI's erosion-based edges
 *       and {@code surface-distance}'s zero padding). Distances are Euclidean in millimetres
 *       between pixel centres, from an exact anisotropic distance transform.
 *   <li><b>Entropy</b> is in nats (natural logarithm); the maximum for 4 classes is ln 4 ≈ 1.386.
 * </ul>
 */
package io.spineflow.imaging.metrics;
