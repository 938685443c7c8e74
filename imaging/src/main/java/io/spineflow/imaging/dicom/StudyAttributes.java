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

  /** The Patient and General Study attributes, in the order a writer copies them. */
  static final List<Attribute> PATIENT_AND_STUDY =
      List.of(
          new Attribute(DicomTag.PATIENT_NAME.tag(), VR.PN, true),
          new Attribute(DicomTag.PATIENT_ID.tag(), VR.LO, true),
          new Attribute(ISSUER_OF_PATIENT_ID, VR.LO, false),
          new Attribute(PATIENT_BIRTH_DATE, VR.DA, true),
          new Attribute(PATIENT_SEX, VR.CS, true),
          new Attribute(DicomTag.STUDY_DATE.tag(), VR.DA, true),
          new Attribute(STUDY_TIME, VR.TM, true),
          new Attribute(DicomTag.ACCESSION_NUMBER.tag(), VR.SH, true),
          new Attribute(REFERRING_PHYSICIAN_NAME, VR.PN, true),
          new Attribute(STUDY_DESCRIPTION, VR.LO, false),
          new Attribute(STUDY_ID, VR.SH, true));

  /**
   * Copies Specific Character Set (when {@code from} has one) and the Patient and General Study
   * attributes of {@code from} into {@code b}, values unchanged (the dictionary's VR where the
   * source was implicit VR); a type 2 one {@code from} lacks is written empty. {@code from} null:
   * every type 2 one empty.
   */
  static void copy(DataSetBuilder b, DataSet from) {
    if (from != null && from.contains(DicomTag.SPECIFIC_CHARACTER_SET)) {
      // The copied names keep their bytes, so they keep their character set.
      b.copy(from.get(DicomTag.SPECIFIC_CHARACTER_SET), VR.CS);
    }
    for (Attribute a : PATIENT_AND_STUDY) {
      DataElement e = from == null ? null : from.elements().get(a.tag());
      if (e != null) {
        b.copy(e, e.vr() == VR.UN ? a.vr() : e.vr());
      } else if (a.type2()) {
        b.text(a.tag(), a.vr(), "");
      }
    }
  }

  /**
   * The attributes {@link #copy} copies from {@code source}, and its Slice Thickness, as an
   * Explicit VR Little Endian data set without meta group. Study Date (type 2) is always there, so
   * the bytes (written in tag order) begin with group 0008 and {@link DicomReader#readFile} reads
   * them as a bare data set.
   */
  public static byte[] encode(DataSet source) throws DicomException {
    DataSetBuilder b = new DataSetBuilder();
    copy(b, source);
    if (source.contains(DicomTag.SLICE_THICKNESS)) {
      b.copy(source.get(DicomTag.SLICE_THICKNESS), VR.DS);
    }
    return DicomWriter.encode(b.build());
  }

  /** The data set {@link #encode} wrote. */
  public static DataSet decode(byte[] bytes) throws DicomException {
    return new DicomReader().readFile(bytes).dataset();
  }
}
