package io.spineflow.imaging.volume;

import io.spineflow.imaging.metrics.SpineClass;

/**
 * How much of one class a study label volume holds, on the original grid.
 *
 * @param spineClass the mask class
 * @param value its value in the label volume ({@link LabelValues})
 * @param voxels voxels holding {@code value}
 * @param millilitres {@code voxels} × the voxel's volume (product of the spacing, mm³) ÷ 1000
 */
public record ClassVolume(SpineClass spineClass, int value, long voxels, double millilitres) {}
