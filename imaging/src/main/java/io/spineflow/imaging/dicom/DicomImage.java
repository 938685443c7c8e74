package io.spineflow.imaging.dicom;

import java.util.List;
import java.util.Objects;

/**
 * A DICOM image as read: the file's attributes, the pixel layout, and every frame decoded.
 *
 * @param frames in file order, {@link PixelDescription#frames()} of them
 */
public record DicomImage(DicomFile file, PixelDescription pixels, List<Frame> frames) {
  public DicomImage {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pixels, "pixels");
    frames = List.copyOf(frames);
  }

  /** The data set (a shortcut for {@code file().dataset()}). */
  public DataSet dataset() {
    return file.dataset();
  }

  /**
   * One frame: rows × columns values, row by row, with the frame's rescale slope and intercept
   * applied (Hounsfield units for CT; arbitrary units for MR), and the frame's attributes.
   */
  public record Frame(float[] values, FrameAttributes attributes) {
    public Frame {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(attributes, "attributes");
    }
  }
}
