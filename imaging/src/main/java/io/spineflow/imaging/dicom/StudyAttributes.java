package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationTags.ISSUER_OF_PATIENT_ID;
import static io.spineflow.imaging.dicom.SegmentationTags.PATIENT_BIRTH_DATE;
import static io.spineflow.imaging.dicom.SegmentationTags.PATIENT_SEX;
import static io.spineflow.imaging.dicom.SegmentationTags.REFERRING_PHYSICIAN_NAME;
import static io.spineflow.imaging.dicom.SegmentationTags.STUDY_DESCRIPTION;
import static io.spineflow.imaging.dicom.SegmentationTags.STUDY_ID;
import static io.spineflow.imaging.dicom.SegmentationTags.STUDY_TIME;

import java.util.List;

/**
 * The Patient and General Study attributes an object derived from a series shares with it (PS3.3
 * C.7.1.1, C.7.2.1), carried from ingest to the results service as a small data set of their own:
 * the study event cannot carry the whole source data set, and a Segmentation written hours later
 * must still name the same patient and study, byte for byte in the source's character set. The set
 * also keeps the source's Slice Thickness, which a Segmentation's Pixel Measures repeat.
 */
public final class StudyAttributes {
  private StudyAttributes() {}

  /** One attribute: its tag, its VR where the source was implicit VR, whether it is type 2. */
  record Attribute(int tag, VR vr, boolean type2) {}

  /** In tag order; Study Date first in group 0008 after Specific Character Set. */
  static final List<Attribute> ALL =
      List.of(
          new Attribute(DicomTag.STUDY_DATE.tag(), VR.DA, true),
          new Attribute(STUDY_TIME, VR.TM, true),
          new Attribute(DicomTag.ACCESSION_NUMBER.tag(), VR.SH, true),
          new Attribute(REFERRING_PHYSICIAN_NAME, VR.PN, true),
          new Attribute(STUDY_DESCRIPTION, VR.LO, false),
          new Attribute(DicomTag.PATIENT_NAME.tag(), VR.PN, true),
          new Attribute(DicomTag.PATIENT_ID.tag(), VR.LO, true),
          new Attribute(ISSUER_OF_PATIENT_ID, VR.LO, false),
          new Attribute(PATIENT_BIRTH_DATE, VR.DA, true),
          new Attribute(PATIENT_SEX, VR.CS, true),
          // Not a study attribute: the Segmentation's Pixel Measures repeat the source's own value.
          new Attribute(DicomTag.SLICE_THICKNESS.tag(), VR.DS, false),
          new Attribute(STUDY_ID, VR.SH, true));

  /**
   * The attributes of {@code source} as an Explicit VR Little Endian data set without meta group:
   * Specific Character Set when the source has one, then every attribute the source has, values
   * unchanged, and the type 2 ones it lacks written empty. Study Date (type 2) is always there, so
   * the bytes begin with group 0008 and {@link DicomReader#readFile} reads them as a bare data set.
   */
  public static byte[] encode(DataSet source) throws DicomException {
    DataSetBuilder b = new DataSetBuilder();
    if (source.contains(DicomTag.SPECIFIC_CHARACTER_SET)) {
      b.copy(source.get(DicomTag.SPECIFIC_CHARACTER_SET), VR.CS);
    }
    for (Attribute a : ALL) {
      DataElement e = source.elements().get(a.tag());
      if (e != null) {
        b.copy(e, e.vr() == VR.UN ? a.vr() : e.vr());
      } else if (a.type2()) {
        b.text(a.tag(), a.vr(), "");
      }
    }
    return DicomWriter.encode(b.build());
  }

  /** The data set {@link #encode} wrote. */
  public static DataSet decode(byte[] bytes) throws DicomException {
    return new DicomReader().readFile(bytes).dataset();
  }
}
