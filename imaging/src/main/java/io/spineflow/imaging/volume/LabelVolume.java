package io.spineflow.imaging.volume;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.metrics.SpineClass;
import java.util.List;

/**
 * One study's segmentation on the original image's grid (same size, spacing, origin, direction),
 * with {@link LabelValues} values: what a researcher overlays on the scan, and what the per-class
 * volumes are measured on.
 *
 * @param image the label volume, unsigned 16-bit ({@link LabelValues#TYPE})
 * @param sagittalAxis the array axis the masks' slices lie across; -1 when no slice was segmented
 * @param segmentedSlices source slice indexes (along {@code sagittalAxis}) that had a mask,
 *     ascending; every voxel of the other slices is {@link LabelValues#NOT_SEGMENTED}
 * @param classVolumes vertebrae, canal, discs, in that order
 */
public record LabelVolume(
    Image image, int sagittalAxis, List<Integer> segmentedSlices, List<ClassVolume> classVolumes) {

  public LabelVolume {
    segmentedSlices = List.copyOf(segmentedSlices);
    classVolumes = List.copyOf(classVolumes);
  }

  /** The value of voxel (i, j, k) (array order, {@code i} fastest). */
  public int value(int i, int j, int k) {
    int[] size = image.geometry().size();
    return (int) image.voxel(i + (long) size[0] * (j + (long) size[1] * k));
  }

  /** The volume of {@code spineClass}, mL. */
  public double millilitres(SpineClass spineClass) {
    return classVolume(spineClass).millilitres();
  }

  /** The volume entry of a foreground class. */
  public ClassVolume classVolume(SpineClass spineClass) {
    for (ClassVolume v : classVolumes) {
      if (v.spineClass() == spineClass) {
        return v;
      }
    }
    throw new IllegalArgumentException("no volume is kept for " + spineClass);
  }
}
