package io.spineflow.imaging.dicom;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MR image instance that can take part in series assembly: read completely (pixels decoded), of
 * an MR storage SOP class, with the UIDs that place it and, on every frame, the geometry a volume
 * is built from. What each DICOM door checks before it accepts an instance, so a bad one is refused
 * alone, before it can spoil its series.
 *
 * @param seriesInstanceUid the key of its series
 * @param sopInstanceUid its identity within the series
 */
public record MrInstance(String seriesInstanceUid, String sopInstanceUid, DicomImage image) {
  public static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
  public static final String ENHANCED_MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4.1";

  /** The SOP classes spineflow takes. */
  public static final List<String> SOP_CLASSES =
      List.of(MR_IMAGE_STORAGE, ENHANCED_MR_IMAGE_STORAGE);

  /** PS3.5 9.1: at most 64 characters, components of digits without leading zeros. */
  private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

  private static final int MAX_UID = 64;

  public MrInstance {
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    Objects.requireNonNull(image, "image");
  }

  /**
   * Reads and checks one instance.
   *
   * @throws DicomException when the file cannot be read (the reader's reasons)
   * @throws SeriesException when it is not an MR image or lacks what assembly needs
   */
  public static MrInstance read(DicomReader reader, byte[] part10)
      throws DicomException, SeriesException {
    return read(reader.readFile(part10), reader.limits());
  }

  /**
   * Checks one instance already read (its pixels are decoded here), for a caller that looked at the
   * file first, e.g. to tell a Segmentation from an image.
   *
   * @throws DicomException when the pixels cannot be decoded
   * @throws SeriesException when it is not an MR image or lacks what assembly needs
   */
  public static MrInstance read(DicomFile file, DicomLimits limits)
      throws DicomException, SeriesException {
    DataSet data = file.dataset();
    String sopClass = data.string(DicomTag.SOP_CLASS_UID);
    if (sopClass == null) {
      sopClass = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID);
    }
    if (sopClass == null || !SOP_CLASSES.contains(sopClass)) {
      throw new SeriesException(
          SeriesReason.UNSUPPORTED_SOP_CLASS,
          DicomTag.SOP_CLASS_UID,
          DicomTag.SOP_CLASS_UID.field()
              + ": "
              + (sopClass == null ? "absent" : "'" + Values.abbreviate(sopClass) + "'")
              + "; only MR Image Storage ("
              + MR_IMAGE_STORAGE
              + ") and Enhanced MR Image Storage ("
              + ENHANCED_MR_IMAGE_STORAGE
              + ") are segmented");
    }
    String series = uid(data, DicomTag.SERIES_INSTANCE_UID);
    String sop = uid(data, DicomTag.SOP_INSTANCE_UID);
    DicomImage image = ImageDecoder.decode(file, limits);
    for (int i = 0; i < image.frames().size(); i++) {
      requireGeometry(image.frames().get(i).attributes(), i, image.frames().size());
    }
    return new MrInstance(series, sop, image);
  }

  /** The instance's Instance Number, or null: how messages name an instance. */
  public Long instanceNumber() {
    try {
      return image.dataset().integer(DicomTag.INSTANCE_NUMBER);
    } catch (DicomException e) {
      return null;
    }
  }

  private static String uid(DataSet data, DicomTag tag) throws SeriesException {
    String value = data.string(tag);
    if (value == null) {
      throw new SeriesException(
          SeriesReason.MISSING_ATTRIBUTE, tag, tag.field() + ": absent; series assembly needs it");
    }
    if (value.length() > MAX_UID || !UID.matcher(value).matches()) {
      throw new SeriesException(
          SeriesReason.INVALID_UID,
          tag,
          tag.field()
              + ": '"
              + Values.abbreviate(value)
              + "' is not a UID (1-64 characters: digits in dot-separated components)");
    }
    return value;
  }

  private static void requireGeometry(FrameAttributes frame, int index, int frames)
      throws SeriesException {
    String where = frames == 1 ? "" : " (frame " + (index + 1) + " of " + frames + ")";
    if (frame.imagePositionPatient() == null) {
      throw missing(DicomTag.IMAGE_POSITION_PATIENT, where);
    }
    if (frame.imageOrientationPatient() == null) {
      throw missing(DicomTag.IMAGE_ORIENTATION_PATIENT, where);
    }
    if (frame.pixelSpacing() == null) {
      throw missing(DicomTag.PIXEL_SPACING, where);
    }
    double[] o = frame.imageOrientationPatient();
    double rowNorm = Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
    double colNorm = Math.sqrt(o[3] * o[3] + o[4] * o[4] + o[5] * o[5]);
    double dot = o[0] * o[3] + o[1] * o[4] + o[2] * o[5];
    if (Math.abs(rowNorm - 1) > 1e-3 || Math.abs(colNorm - 1) > 1e-3 || Math.abs(dot) > 1e-3) {
      throw new SeriesException(
          SeriesReason.SERIES_INCONSISTENT_ORIENTATION,
          DicomTag.IMAGE_ORIENTATION_PATIENT,
          DicomTag.IMAGE_ORIENTATION_PATIENT.field()
              + where
              + ": row and column cosines must be orthogonal unit vectors (norms "
              + rowNorm
              + ", "
              + colNorm
              + ", dot product "
              + dot
              + ")");
    }
    for (double s : frame.pixelSpacing()) {
      if (!(s > 0) || s > 1000) {
        throw new SeriesException(
            SeriesReason.SERIES_INCONSISTENT_SPACING,
            DicomTag.PIXEL_SPACING,
            DicomTag.PIXEL_SPACING.field() + where + ": " + s + " mm is not in (0, 1000]");
      }
    }
  }

  private static SeriesException missing(DicomTag tag, String where) {
    return new SeriesException(
        SeriesReason.MISSING_ATTRIBUTE,
        tag,
        tag.field() + where + ": absent; a slice without it cannot be placed in the volume");
  }
}
