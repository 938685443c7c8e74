package io.spineflow.imaging.volume;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.imaging.volume.LabelVolumeException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Puts the slice masks of one study back into the study's original voxel grid: the inverse of
 * preprocess's reorientation and in-plane resampling, as one pure function.
 *
 * <p>The rule, per voxel of a source slice that has a mask: its physical point (origin + direction
 * · spacing · index, the header's own geometry, so any direction cosines and any axis order work)
 * goes through the inverse of the slice's {@code pixelToPhysical} ({@link SlicePlane}) to a
 * continuous (column, row), where the voxel reads its class from the mask ({@link Interpolation}:
 * never a value that is no class). Off the mask's grid is background (preprocess pads with
 * background and covers the whole field of view, so only the very edge lands there). Every voxel of
 * a source slice without a mask is {@link LabelValues#NOT_SEGMENTED}, never background: "not looked
 * at" is not "nothing there".
 *
 * <p>Why {@link Interpolation#GAUSSIAN} by default rather than the nearest pixel: on
 * SPIDER-resolution studies the 128 × 128 model grid is 3-4 times coarser in-plane than the scan,
 * and on the round trip of preprocess's own labels (preprocess's {@code LabelVolumeRoundTripTest})
 * it gave the highest Dice of the three for every class of all 10 such phantoms (0.003-0.009 above
 * {@code LINEAR}, 0.005-0.020 above {@code NEAREST}). The nearest pixel is better only where the
 * mask is about as fine as the scan, and there all three are above 0.96.
 *
 * <p>Each mask's plane must be the plane of the source slice it names (every corner voxel within
 * {@value #PLANE_TOLERANCE_VOXELS} of the sagittal spacing), so a mask with a wrong slice index or
 * axis is refused rather than painted onto the wrong anatomy.
 */
public final class LabelVolumeAssembler {
  /**
   * Largest accepted distance of a source slice's corner voxel from its mask's plane, in voxels.
   */
  static final double PLANE_TOLERANCE_VOXELS = 0.01;

  /** What {@link #assemble(ImageGeometry, List)} uses (see the class comment for why). */
  public static final Interpolation DEFAULT_INTERPOLATION = Interpolation.GAUSSIAN;

  private static final int MAX_VOXELS = Integer.MAX_VALUE / 2;

  private LabelVolumeAssembler() {}

  /**
   * The label volume of a study.
   *
   * @param geometry the original image's geometry (3D)
   * @param masks one per segmented source slice, in any order
   * @throws LabelVolumeException naming the field and the limit when the geometry is not a volume,
   *     a mask names a slice outside it, two masks name one slice, the masks disagree on the
   *     sagittal axis, or a mask's plane is not its slice's
   */
  public static LabelVolume assemble(ImageGeometry geometry, List<SliceMask> masks) {
    return assemble(geometry, masks, DEFAULT_INTERPOLATION);
  }

  /**
   * The label volume of a study, each voxel reading its mask with {@code interpolation}.
   *
   * @throws LabelVolumeException as {@link #assemble(ImageGeometry, List)}
   */
  public static LabelVolume assemble(
      ImageGeometry geometry, List<SliceMask> masks, Interpolation interpolation) {
    requireVolume(geometry);
    int sagittalAxis = sagittalAxis(geometry, masks);
    int n = (int) geometry.voxelCount();
    ByteBuffer voxels = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    Arrays.fill(voxels.array(), (byte) 0xFF); // 0xFFFF = NOT_SEGMENTED in every voxel
    long[] counts = new long[SliceMask.CLASSES];
    TreeSet<Integer> segmented = new TreeSet<>();
    for (int m = 0; m < masks.size(); m++) {
      SliceMask mask = masks.get(m);
      if (!segmented.add(mask.sourceSliceIndex())) {
        throw new LabelVolumeException(
            Reason.DUPLICATE_SLICE,
            "mask[" + m + "].sourceSliceIndex",
            "one mask per source slice",
            "two masks for source slice " + mask.sourceSliceIndex());
      }
      SlicePlane plane = plane(geometry, mask, m);
      paint(geometry, mask, plane, interpolation, voxels, counts);
    }
    return new LabelVolume(
        Image.wrap(geometry, LabelValues.TYPE, voxels.array()),
        sagittalAxis,
        new ArrayList<>(segmented),
        classVolumes(geometry, counts));
  }

  private static void requireVolume(ImageGeometry geometry) {
    if (geometry.dimensions() != 3) {
      throw new LabelVolumeException(
          Reason.NOT_A_VOLUME,
          "geometry.size",
          "3 dimensions",
          "a " + geometry.dimensions() + "D geometry has no sagittal slices to put masks into");
    }
    if (geometry.voxelCount() > MAX_VOXELS) {
      throw new LabelVolumeException(
          Reason.NOT_A_VOLUME,
          "geometry.size",
          "<= " + MAX_VOXELS + " voxels",
          geometry.voxelCount() + " voxels do not fit one 16-bit label array");
    }
  }

  /** The masks' common sagittal axis, each mask's slice checked against it; -1 without masks. */
  private static int sagittalAxis(ImageGeometry geometry, List<SliceMask> masks) {
    if (masks.isEmpty()) {
      return -1;
    }
    int axis = masks.get(0).sagittalAxis();
    int[] size = geometry.size();
    for (int m = 0; m < masks.size(); m++) {
      SliceMask mask = masks.get(m);
      if (mask.sagittalAxis() != axis || axis < 0 || axis > 2) {
        throw new LabelVolumeException(
            Reason.SLICE_OUT_OF_STUDY,
            "mask[" + m + "].sagittalAxis",
            "0..2 and equal to mask[0]'s (" + axis + ")",
            "mask " + m + " names sagittal axis " + mask.sagittalAxis());
      }
      if (mask.sourceSliceIndex() < 0 || mask.sourceSliceIndex() >= size[axis]) {
        throw new LabelVolumeException(
            Reason.SLICE_OUT_OF_STUDY,
            "mask[" + m + "].sourceSliceIndex",
            "0.." + (size[axis] - 1),
            "mask " + m + " names source slice " + mask.sourceSliceIndex() + " of " + size[axis]);
      }
    }
    return axis;
  }

  /** The mask's inverse affine, checked to lie on its source slice. */
  private static SlicePlane plane(ImageGeometry geometry, SliceMask mask, int m) {
    SlicePlane plane = SlicePlane.of(mask.pixelToPhysical());
    if (plane == null) {
      throw new LabelVolumeException(
          Reason.INVALID_MASK,
          "mask[" + m + "].pixelToPhysical",
          "two non-parallel pixel steps (columns 0 and 1)",
          "mask " + m + "'s affine " + Arrays.toString(mask.pixelToPhysical()) + " spans no plane");
    }
    int s = mask.sagittalAxis();
    double tolerance = PLANE_TOLERANCE_VOXELS * geometry.spacing()[s];
    for (int[] corner : corners(geometry, s, mask.sourceSliceIndex())) {
      double distance = plane.distance(physical(geometry, corner));
      if (!(distance <= tolerance)) {
        throw new LabelVolumeException(
            Reason.PLANE_MISMATCH,
            "mask[" + m + "].pixelToPhysical",
            "the plane of source slice "
                + mask.sourceSliceIndex()
                + " along axis "
                + s
                + " within "
                + tolerance
                + " mm",
            "voxel " + Arrays.toString(corner) + " lies " + distance + " mm off mask " + m);
      }
    }
    return plane;
  }

  /** The four corner voxels of source slice {@code index} along axis {@code s}. */
  private static List<int[]> corners(ImageGeometry geometry, int s, int index) {
    int[] size = geometry.size();
    int u = s == 0 ? 1 : 0;
    int v = s == 2 ? 1 : 2;
    List<int[]> corners = new ArrayList<>();
    for (int cu : new int[] {0, size[u] - 1}) {
      for (int cv : new int[] {0, size[v] - 1}) {
        int[] voxel = new int[3];
        voxel[s] = index;
        voxel[u] = cu;
        voxel[v] = cv;
        corners.add(voxel);
      }
    }
    return corners;
  }

  /**
   * Writes the class value of every voxel of the mask's source slice. The pixel position is affine
   * in the voxel index, so it is computed once for voxel (0, 0) of the slice and then stepped.
   */
  private static void paint(
      ImageGeometry geometry,
      SliceMask mask,
      SlicePlane plane,
      Interpolation interpolation,
      ByteBuffer voxels,
      long[] counts) {
    int s = mask.sagittalAxis();
    int u = s == 0 ? 1 : 0;
    int v = s == 2 ? 1 : 2;
    int[] size = geometry.size();
    int[] stride = {1, size[0], size[0] * size[1]};
    int[] first = new int[3];
    first[s] = mask.sourceSliceIndex();
    double[] start = plane.pixelOf(physical(geometry, first));
    double[] du = plane.pixelStep(axisStep(geometry, u));
    double[] dv = plane.pixelStep(axisStep(geometry, v));
    int base = mask.sourceSliceIndex() * stride[s];
    Interpolation.Sampler sampler = interpolation.sampler(mask);
    for (int j = 0; j < size[v]; j++) {
      for (int i = 0; i < size[u]; i++) {
        double column = start[0] + i * du[0] + j * dv[0];
        double row = start[1] + i * du[1] + j * dv[1];
        int cls = sampler.classAt(column, row);
        counts[cls]++;
        voxels.putShort(
            2 * (base + i * stride[u] + j * stride[v]), (short) LabelValues.ofClassId(cls));
      }
    }
  }

  /** Physical LPS point of voxel {@code index}: origin + direction · spacing · index. */
  static double[] physical(ImageGeometry geometry, int[] index) {
    double[] point = geometry.origin();
    double[] spacing = geometry.spacing();
    for (int i = 0; i < 3; i++) {
      for (int a = 0; a < 3; a++) {
        point[i] += geometry.direction(i, a) * spacing[a] * index[a];
      }
    }
    return point;
  }

  /** The physical displacement of one voxel step along array axis {@code axis}. */
  private static double[] axisStep(ImageGeometry geometry, int axis) {
    double spacing = geometry.spacing()[axis];
    return new double[] {
      geometry.direction(0, axis) * spacing,
      geometry.direction(1, axis) * spacing,
      geometry.direction(2, axis) * spacing
    };
  }

  private static List<ClassVolume> classVolumes(ImageGeometry geometry, long[] counts) {
    double voxelMl = 1e-3;
    for (double s : geometry.spacing()) {
      voxelMl *= s;
    }
    List<ClassVolume> volumes = new ArrayList<>();
    for (SpineClass c : SpineClass.FOREGROUND) {
      long voxels = counts[c.id()];
      volumes.add(new ClassVolume(c, LabelValues.of(c), voxels, voxels * voxelMl));
    }
    return volumes;
  }
}
