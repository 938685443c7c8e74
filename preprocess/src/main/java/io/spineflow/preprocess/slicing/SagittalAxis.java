package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.ImageGeometry;

/**
 * Which array axis of a 3D study is the sagittal (patient left-right) one, read from the header.
 *
 * <p>The rule: the axis whose direction column points most along physical x (LPS: towards the
 * patient's left), i.e. the largest {@code |direction[0][c]|}; ties go to the lower axis. Only when
 * the header carries no direction is the largest spacing used instead (sagittal series have thick
 * slices). A direction is taken as <em>absent</em> when the matrix is exactly the identity (what a
 * MetaImage without {@code TransformMatrix} decodes to) <em>and</em> one axis other than axis 0 has
 * a spacing at least {@value #CLEARLY_LARGER} times each other spacing: an identity header on a
 * volume whose thick axis is not x cannot be a true sagittal acquisition, so its identity is a
 * placeholder. An identity direction with near-isotropic spacing, or with the thick axis on x, is
 * believed.
 *
 * @param axis the sagittal array axis (0, 1 or 2)
 * @param source how it was found
 */
public record SagittalAxis(int axis, Source source) {

  /** A spacing this many times each other spacing is "clearly larger". */
  public static final double CLEARLY_LARGER = 1.5;

  private static final double IDENTITY_TOLERANCE = 1e-9;

  /** How the sagittal axis was determined. */
  public enum Source {
    /** From the direction cosines (the normal case). */
    DIRECTION,
    /** From the largest spacing, because the header has no direction. */
    LARGEST_SPACING
  }

  /**
   * Finds the sagittal axis of {@code geometry}.
   *
   * @throws StudyRejectedException {@code NO_SAGITTAL_AXIS} when the image is not 3D or its
   *     in-plane axes are not at least 2 voxels each
   */
  public static SagittalAxis of(ImageGeometry geometry) {
    if (geometry.dimensions() != 3) {
      throw new StudyRejectedException(
          StudyRejectedException.NO_SAGITTAL_AXIS,
          "image.size",
          "3 dimensions",
          "a " + geometry.dimensions() + "D image has no stack of sagittal slices");
    }
    SagittalAxis found =
        directionIsAbsent(geometry)
            ? new SagittalAxis(largestSpacing(geometry.spacing()), Source.LARGEST_SPACING)
            : new SagittalAxis(mostLeftRight(geometry), Source.DIRECTION);
    int[] size = geometry.size();
    for (int c = 0; c < 3; c++) {
      if (c != found.axis && size[c] < 2) {
        throw new StudyRejectedException(
            StudyRejectedException.NO_SAGITTAL_AXIS,
            "image.size",
            ">= 2 voxels along each in-plane axis",
            "sagittal axis "
                + found.axis
                + " leaves in-plane axis "
                + c
                + " with "
                + size[c]
                + " voxel(s): the image is a 2D slice, not a sagittal stack");
      }
    }
    return found;
  }

  /** True when the direction is the identity placeholder of a header without one (see class). */
  static boolean directionIsAbsent(ImageGeometry geometry) {
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        if (Math.abs(geometry.direction(r, c) - (r == c ? 1 : 0)) > IDENTITY_TOLERANCE) {
          return false;
        }
      }
    }
    double[] spacing = geometry.spacing();
    int thick = largestSpacing(spacing);
    if (thick == 0) {
      return false;
    }
    for (int c = 0; c < 3; c++) {
      if (c != thick && spacing[thick] < CLEARLY_LARGER * spacing[c]) {
        return false;
      }
    }
    return true;
  }

  private static int mostLeftRight(ImageGeometry geometry) {
    int best = 0;
    for (int c = 1; c < 3; c++) {
      if (Math.abs(geometry.direction(0, c)) > Math.abs(geometry.direction(0, best))) {
        best = c;
      }
    }
    return best;
  }

  private static int largestSpacing(double[] spacing) {
    int best = 0;
    for (int c = 1; c < spacing.length; c++) {
      if (spacing[c] > spacing[best]) {
        best = c;
      }
    }
    return best;
  }
}
