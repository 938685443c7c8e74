package io.spineflow.imaging.dicom;

import io.spineflow.imaging.Image;
import java.util.Objects;

/**
 * A series assembled into one 3D volume: the project's {@link Image} (geometry in ITK's LPS
 * conventions, so it travels the path MetaImage studies take), and what it was made of. Holds no
 * patient attribute.
 *
 * @param instances how many instances (files) went in
 * @param sliceSpacing the distance between adjacent slices in mm, from their positions
 * @param plane the acquisition plane of the slices
 */
public record DicomVolume(
    String seriesInstanceUid, Image image, int instances, double sliceSpacing, Plane plane) {
  public DicomVolume {
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(plane, "plane");
  }

  /** The number of slices (the size of the third axis). */
  public int slices() {
    return image.geometry().size()[2];
  }

  /**
   * The patient plane a slice lies in, by the largest component of its normal (row × column
   * cosines) in LPS: x (left-right) sagittal, y (anterior-posterior) coronal, z (head-foot) axial.
   * An oblique slice takes the plane it is closest to.
   */
  public enum Plane {
    SAGITTAL,
    CORONAL,
    AXIAL;

    public static Plane of(double[] normal) {
      double x = Math.abs(normal[0]);
      double y = Math.abs(normal[1]);
      double z = Math.abs(normal[2]);
      if (x >= y && x >= z) {
        return SAGITTAL;
      }
      return y >= z ? CORONAL : AXIAL;
    }
  }
}
