package io.spineflow.imaging.dicom;

import java.util.HashMap;
import java.util.Map;

/**
 * The small data dictionary: only the attributes spineflow reads. Implicit VR files carry no VR, so
 * these are the elements whose values the reader can interpret there; any other element of an
 * implicit VR file is kept as {@link VR#UN} bytes.
 */
public enum DicomTag {
  FILE_META_INFORMATION_GROUP_LENGTH(0x00020000, VR.UL, "FileMetaInformationGroupLength"),
  MEDIA_STORAGE_SOP_CLASS_UID(0x00020002, VR.UI, "MediaStorageSOPClassUID"),
  MEDIA_STORAGE_SOP_INSTANCE_UID(0x00020003, VR.UI, "MediaStorageSOPInstanceUID"),
  TRANSFER_SYNTAX_UID(0x00020010, VR.UI, "TransferSyntaxUID"),
  SPECIFIC_CHARACTER_SET(0x00080005, VR.CS, "SpecificCharacterSet"),
  IMAGE_TYPE(0x00080008, VR.CS, "ImageType"),
  SOP_CLASS_UID(0x00080016, VR.UI, "SOPClassUID"),
  SOP_INSTANCE_UID(0x00080018, VR.UI, "SOPInstanceUID"),
  CODE_VALUE(0x00080100, VR.SH, "CodeValue"),
  CODING_SCHEME_DESIGNATOR(0x00080102, VR.SH, "CodingSchemeDesignator"),
  CODE_MEANING(0x00080104, VR.LO, "CodeMeaning"),
  REFERENCED_SERIES_SEQUENCE(0x00081115, VR.SQ, "ReferencedSeriesSequence"),
  REFERENCED_SOP_INSTANCE_UID(0x00081155, VR.UI, "ReferencedSOPInstanceUID"),
  SOURCE_IMAGE_SEQUENCE(0x00082112, VR.SQ, "SourceImageSequence"),
  DERIVATION_IMAGE_SEQUENCE(0x00089124, VR.SQ, "DerivationImageSequence"),
  STUDY_DATE(0x00080020, VR.DA, "StudyDate"),
  ACCESSION_NUMBER(0x00080050, VR.SH, "AccessionNumber"),
  MODALITY(0x00080060, VR.CS, "Modality"),
  SERIES_DESCRIPTION(0x0008103E, VR.LO, "SeriesDescription"),
  PATIENT_NAME(0x00100010, VR.PN, "PatientName"),
  PATIENT_ID(0x00100020, VR.LO, "PatientID"),
  SCANNING_SEQUENCE(0x00180020, VR.CS, "ScanningSequence"),
  SEQUENCE_VARIANT(0x00180021, VR.CS, "SequenceVariant"),
  MR_ACQUISITION_TYPE(0x00180023, VR.CS, "MRAcquisitionType"),
  SEQUENCE_NAME(0x00180024, VR.SH, "SequenceName"),
  SLICE_THICKNESS(0x00180050, VR.DS, "SliceThickness"),
  REPETITION_TIME(0x00180080, VR.DS, "RepetitionTime"),
  ECHO_TIME(0x00180081, VR.DS, "EchoTime"),
  SPACING_BETWEEN_SLICES(0x00180088, VR.DS, "SpacingBetweenSlices"),
  PROTOCOL_NAME(0x00181030, VR.LO, "ProtocolName"),
  BODY_PART_EXAMINED(0x00180015, VR.CS, "BodyPartExamined"),
  STUDY_INSTANCE_UID(0x0020000D, VR.UI, "StudyInstanceUID"),
  SERIES_INSTANCE_UID(0x0020000E, VR.UI, "SeriesInstanceUID"),
  INSTANCE_NUMBER(0x00200013, VR.IS, "InstanceNumber"),
  IMAGE_POSITION_PATIENT(0x00200032, VR.DS, "ImagePositionPatient"),
  IMAGE_ORIENTATION_PATIENT(0x00200037, VR.DS, "ImageOrientationPatient"),
  FRAME_OF_REFERENCE_UID(0x00200052, VR.UI, "FrameOfReferenceUID"),
  FRAME_CONTENT_SEQUENCE(0x00209111, VR.SQ, "FrameContentSequence"),
  PLANE_POSITION_SEQUENCE(0x00209113, VR.SQ, "PlanePositionSequence"),
  PLANE_ORIENTATION_SEQUENCE(0x00209116, VR.SQ, "PlaneOrientationSequence"),
  STACK_ID(0x00209056, VR.SH, "StackID"),
  IN_STACK_POSITION_NUMBER(0x00209057, VR.UL, "InStackPositionNumber"),
  TEMPORAL_POSITION_INDEX(0x00209128, VR.UL, "TemporalPositionIndex"),
  DIMENSION_INDEX_VALUES(0x00209157, VR.UL, "DimensionIndexValues"),
  SAMPLES_PER_PIXEL(0x00280002, VR.US, "SamplesPerPixel"),
  PHOTOMETRIC_INTERPRETATION(0x00280004, VR.CS, "PhotometricInterpretation"),
  PLANAR_CONFIGURATION(0x00280006, VR.US, "PlanarConfiguration"),
  NUMBER_OF_FRAMES(0x00280008, VR.IS, "NumberOfFrames"),
  ROWS(0x00280010, VR.US, "Rows"),
  COLUMNS(0x00280011, VR.US, "Columns"),
  PIXEL_SPACING(0x00280030, VR.DS, "PixelSpacing"),
  BITS_ALLOCATED(0x00280100, VR.US, "BitsAllocated"),
  BITS_STORED(0x00280101, VR.US, "BitsStored"),
  HIGH_BIT(0x00280102, VR.US, "HighBit"),
  PIXEL_REPRESENTATION(0x00280103, VR.US, "PixelRepresentation"),
  RESCALE_INTERCEPT(0x00281052, VR.DS, "RescaleIntercept"),
  RESCALE_SLOPE(0x00281053, VR.DS, "RescaleSlope"),
  PIXEL_MEASURES_SEQUENCE(0x00289110, VR.SQ, "PixelMeasuresSequence"),
  PIXEL_VALUE_TRANSFORMATION_SEQUENCE(0x00289145, VR.SQ, "PixelValueTransformationSequence"),
  SEGMENTATION_TYPE(0x00620001, VR.CS, "SegmentationType"),
  SEGMENT_SEQUENCE(0x00620002, VR.SQ, "SegmentSequence"),
  SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE(
      0x00620003, VR.SQ, "SegmentedPropertyCategoryCodeSequence"),
  SEGMENT_NUMBER(0x00620004, VR.US, "SegmentNumber"),
  SEGMENT_LABEL(0x00620005, VR.LO, "SegmentLabel"),
  SEGMENT_IDENTIFICATION_SEQUENCE(0x0062000A, VR.SQ, "SegmentIdentificationSequence"),
  REFERENCED_SEGMENT_NUMBER(0x0062000B, VR.US, "ReferencedSegmentNumber"),
  SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE(0x0062000F, VR.SQ, "SegmentedPropertyTypeCodeSequence"),
  SHARED_FUNCTIONAL_GROUPS_SEQUENCE(0x52009229, VR.SQ, "SharedFunctionalGroupsSequence"),
  PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE(0x52009230, VR.SQ, "PerFrameFunctionalGroupsSequence"),
  FLOAT_PIXEL_DATA(0x7FE00008, VR.OF, "FloatPixelData"),
  DOUBLE_FLOAT_PIXEL_DATA(0x7FE00009, VR.OD, "DoubleFloatPixelData"),
  // OW in implicit VR: 8-bit implicit VR pixels are still read byte by byte (little endian).
  PIXEL_DATA(0x7FE00010, VR.OW, "PixelData");

  private static final Map<Integer, DicomTag> BY_TAG = new HashMap<>();

  static {
    for (DicomTag t : values()) {
      BY_TAG.put(t.tag, t);
    }
  }

  private final int tag;
  private final VR vr;
  private final String keyword;

  DicomTag(int tag, VR vr, String keyword) {
    this.tag = tag;
    this.vr = vr;
    this.keyword = keyword;
  }

  /** group << 16 | element. */
  public int tag() {
    return tag;
  }

  public VR vr() {
    return vr;
  }

  public String keyword() {
    return keyword;
  }

  /** "Rows (0028,0010)": how refusals name the attribute at fault. */
  public String field() {
    return keyword + " " + hex(tag);
  }

  /** The dictionary entry for {@code tag}, or null when spineflow does not know it. */
  static DicomTag of(int tag) {
    return BY_TAG.get(tag);
  }

  /** "(gggg,eeee)". */
  static String hex(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }

  /** The keyword and tag of a dictionary element, or the bare tag of any other. */
  static String field(int tag) {
    DicomTag known = of(tag);
    return known != null ? known.field() : hex(tag);
  }
}
