package io.spineflow.imaging.phantom;

import java.util.List;

/**
 * Ground-truth facts about a generated study, for tests and for checking a pipeline against what
 * the generator knows.
 *
 * @param layout the array layout of image and mask
 * @param sagittalAxis the array axis running left-right (the thick axis of T1/T2)
 * @param anteroPosteriorAxis the array axis running anterior-posterior
 * @param craniocaudalAxis the array axis running inferior-superior (along the spine)
 * @param vertebraCount vertebrae in the mask, partly visible ones included
 * @param vertebraLabels the vertebra labels in the mask, ascending (1..k, or 100 + k when cut)
 * @param discLabels the disc labels in the mask, ascending (201..)
 * @param partlyVisibleLabels the subset of {@code vertebraLabels} cut by the field of view
 * @param midSagittalSlice index along {@code sagittalAxis} of the slice nearest the spine's midline
 * @param lordosisRadiusMm radius of curvature of the posterior wall of the vertebral bodies
 * @param rotationDegrees angle between the voxel grid and the LPS axes
 */
public record PhantomTruth(
    VoxelGridLayout layout,
    int sagittalAxis,
    int anteroPosteriorAxis,
    int craniocaudalAxis,
    int vertebraCount,
    List<Integer> vertebraLabels,
    List<Integer> discLabels,
    List<Integer> partlyVisibleLabels,
    int midSagittalSlice,
    double lordosisRadiusMm,
    double rotationDegrees) {

  public PhantomTruth {
    vertebraLabels = List.copyOf(vertebraLabels);
    discLabels = List.copyOf(discLabels);
    partlyVisibleLabels = List.copyOf(partlyVisibleLabels);
  }
}
