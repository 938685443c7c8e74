/**
 * Per-level analysis of a lumbar-spine segmentation ({@link
 * io.spineflow.imaging.levels.LevelAnalyzer}): vertebral bodies and discs found on the mid-sagittal
 * slice, ordered along a centreline through their centroids, numbered from the sacrum upwards, and
 * measured (disc and body heights, canal anteroposterior diameter) in millimetres, with flags for
 * whatever is implausible or could not be measured. Pure functions of a label volume: no I/O.
 */
package io.spineflow.imaging.levels;
