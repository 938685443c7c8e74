/**
 * Partial labels: what a study's mask declares it labels ({@link
 * io.spineflow.imaging.labels.LabelCoverage}) and what that means for each pixel of a slice ({@link
 * io.spineflow.imaging.labels.SliceLabelScope}). Where a class is unlabelled, or outside the
 * labelled extent, a 0 in a mask means unknown, never background.
 */
package io.spineflow.imaging.labels;
