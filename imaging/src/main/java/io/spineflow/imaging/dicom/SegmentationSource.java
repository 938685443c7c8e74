package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ImageGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a Segmentation is of ({@link SegmentationWriter}): a DICOM series it references and whose
 * patient, study and frame of reference it shares, or a volume without DICOM (a MetaImage study)
 * whose geometry it carries under new study and frame of reference UIDs.
 */
public sealed interface SegmentationSource {

  /**
   * One image a slice of the volume was taken from.
   *
   * @param frameNumber the frame of a multi-frame image (1 = first), 0 for a single-frame image
   */
  record SourceImage(String sopClassUid, String sopInstanceUid, int frameNumber) {
    public SourceImage {
      Objects.requireNonNull(sopClassUid, "sopClassUid");
      Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    }
  }

  /**
   * A DICOM series.
   *
   * @param patientAndStudy a data set of the series (any instance's) the Patient and General Study
   *     attributes are copied from
   * @param slices the image of each slice of the volume, by slice index (null where no image of the
   *     series lies on the slice)
   */
  record DicomSeries(
      String seriesInstanceUid,
      String studyInstanceUid,
      String frameOfReferenceUid,
      DataSet patientAndStudy,
      List<SourceImage> slices)
      implements SegmentationSource {
    public DicomSeries {
      Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
      Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
      Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
      Objects.requireNonNull(patientAndStudy, "patientAndStudy");
      slices = java.util.Collections.unmodifiableList(new ArrayList<>(slices));
    }

    /**
     * The source of a segmentation of an assembled series: each slice's image found among the
     * instances the volume was assembled from, by its frame's position (within {@code toleranceMm}
     * of the slice, as {@link SegmentationLabels} places frames).
     *
     * @throws DicomException {@link ReasonCode#MISSING_ATTRIBUTE} when the instances lack Study
     *     Instance UID or Frame of Reference UID, {@link ReasonCode#SEGMENTATION_GRID_MISMATCH}
     *     when an instance is of another series or a slice has no image
     */
    public static DicomSeries of(DicomVolume volume, List<MrInstance> instances, double toleranceMm)
        throws DicomException {
      if (instances.isEmpty()) {
        throw new IllegalArgumentException("no instances: the volume was assembled from some");
      }
      DataSet first = instances.get(0).image().dataset();
      String study = required(first, DicomTag.STUDY_INSTANCE_UID);
      String frameOfReference = required(first, DicomTag.FRAME_OF_REFERENCE_UID);
      ImageGeometry g = volume.image().geometry();
      SourceImage[] slices = new SourceImage[g.size()[2]];
      for (MrInstance instance : instances) {
        if (!instance.seriesInstanceUid().equals(volume.seriesInstanceUid())) {
          throw mismatch(
              DicomTag.SERIES_INSTANCE_UID,
              "instance "
                  + Values.abbreviate(instance.sopInstanceUid())
                  + " is not of the volume's series");
        }
        String sopClass = instance.image().dataset().string(DicomTag.SOP_CLASS_UID);
        List<DicomImage.Frame> frames = instance.image().frames();
        for (int f = 0; f < frames.size(); f++) {
          double[] position = frames.get(f).attributes().imagePositionPatient();
          int k = position == null ? -1 : slice(position, g, toleranceMm);
          if (k >= 0) {
            slices[k] =
                new SourceImage(
                    sopClass == null ? MrInstance.MR_IMAGE_STORAGE : sopClass,
                    instance.sopInstanceUid(),
                    frames.size() == 1 ? 0 : f + 1);
          }
        }
      }
      for (int k = 0; k < slices.length; k++) {
        if (slices[k] == null) {
          throw mismatch(
              DicomTag.IMAGE_POSITION_PATIENT,
              "no instance lies on slice " + (k + 1) + " of " + slices.length);
        }
      }
      return new DicomSeries(
          volume.seriesInstanceUid(), study, frameOfReference, first, Arrays.asList(slices));
    }

    /** The slice a position lies on, or -1. */
    private static int slice(double[] position, ImageGeometry g, double tolerance) {
      double along = 0;
      double inRow = 0;
      double inColumn = 0;
      for (int i = 0; i < 3; i++) {
        double offset = position[i] - g.origin()[i];
        inRow += offset * g.direction(i, 0);
        inColumn += offset * g.direction(i, 1);
        along += offset * g.direction(i, 2);
      }
      long k = Math.round(along / g.spacing()[2]);
      boolean on =
          Math.abs(inRow) <= tolerance
              && Math.abs(inColumn) <= tolerance
              && Math.abs(along - k * g.spacing()[2]) <= tolerance
              && k >= 0
              && k < g.size()[2];
      return on ? (int) k : -1;
    }

    private static String required(DataSet data, DicomTag tag) throws DicomException {
      String value = data.string(tag);
      if (value == null) {
        throw SegmentationObject.missing(tag, "absent from the series: a Segmentation shares it");
      }
      return value;
    }

    private static DicomException mismatch(DicomTag tag, String problem) {
      return new DicomException(
          ReasonCode.SEGMENTATION_GRID_MISMATCH, tag.field(), tag.field() + ": " + problem);
    }
  }

  /**
   * A volume without DICOM (a MetaImage study). Its Study and Frame of Reference UIDs are derived
   * from {@code sourceKey}, so every Segmentation of one study shares them.
   *
   * @param sourceKey what identifies the study in spineflow (its id, or its content's digest)
   * @param patientId written as Patient ID; may be empty (Patient ID is type 2)
   */
  record Volume(String sourceKey, String patientId) implements SegmentationSource {
    public Volume {
      Objects.requireNonNull(sourceKey, "sourceKey");
      patientId = patientId == null ? "" : patientId;
    }
  }
}
