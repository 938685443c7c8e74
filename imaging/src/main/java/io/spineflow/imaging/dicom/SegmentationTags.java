package io.spineflow.imaging.dicom;

/**
 * Tags of the attributes a Segmentation is written with that the reader's dictionary ({@link
 * DicomTag}) does not need; the writer names each VR itself.
 */
final class SegmentationTags {
  private SegmentationTags() {}

  static final int INSTANCE_CREATION_DATE = 0x00080012;
  static final int INSTANCE_CREATION_TIME = 0x00080013;
  static final int STUDY_TIME = 0x00080030;
  static final int CONTENT_DATE = 0x00080023;
  static final int CONTENT_TIME = 0x00080033;
  static final int MANUFACTURER = 0x00080070;
  static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
  static final int CODING_SCHEME_IDENTIFICATION_SEQUENCE = 0x00080110;
  static final int CODING_SCHEME_NAME = 0x00080115;
  static final int CODING_SCHEME_RESPONSIBLE_ORGANIZATION = 0x00080116;
  static final int TIMEZONE_OFFSET_FROM_UTC = 0x00080201;
  static final int STUDY_DESCRIPTION = 0x00081030;
  static final int MANUFACTURER_MODEL_NAME = 0x00081090;
  static final int REFERENCED_INSTANCE_SEQUENCE = 0x0008114A;
  static final int REFERENCED_SOP_CLASS_UID = 0x00081150;
  static final int REFERENCED_FRAME_NUMBER = 0x00081160;
  static final int DERIVATION_DESCRIPTION = 0x00082111;
  static final int DERIVATION_CODE_SEQUENCE = 0x00089215;
  static final int ISSUER_OF_PATIENT_ID = 0x00100021;
  static final int PATIENT_BIRTH_DATE = 0x00100030;
  static final int PATIENT_SEX = 0x00100040;
  static final int DEVICE_SERIAL_NUMBER = 0x00181000;
  static final int SOFTWARE_VERSIONS = 0x00181020;
  static final int STUDY_ID = 0x00200010;
  static final int SERIES_NUMBER = 0x00200011;
  static final int POSITION_REFERENCE_INDICATOR = 0x00201040;
  static final int DIMENSION_ORGANIZATION_UID = 0x00209164;
  static final int DIMENSION_INDEX_POINTER = 0x00209165;
  static final int FUNCTIONAL_GROUP_POINTER = 0x00209167;
  static final int DIMENSION_ORGANIZATION_SEQUENCE = 0x00209221;
  static final int DIMENSION_INDEX_SEQUENCE = 0x00209222;
  static final int DIMENSION_DESCRIPTION_LABEL = 0x00209421;
  static final int LOSSY_IMAGE_COMPRESSION = 0x00282110;
  static final int SEGMENTATION_ALGORITHM_IDENTIFICATION_SEQUENCE = 0x00620007;
  static final int SEGMENT_ALGORITHM_TYPE = 0x00620008;
  static final int SEGMENT_ALGORITHM_NAME = 0x00620009;
  static final int RECOMMENDED_DISPLAY_CIELAB_VALUE = 0x0062000D;
  static final int SEGMENTS_OVERLAP = 0x00620013;
  static final int ALGORITHM_FAMILY_CODE_SEQUENCE = 0x0066002F;
  static final int ALGORITHM_VERSION = 0x00660031;
  static final int ALGORITHM_NAME = 0x00660036;
  static final int CONTENT_LABEL = 0x00700080;
  static final int CONTENT_DESCRIPTION = 0x00700081;
  static final int CONTENT_CREATOR_NAME = 0x00700084;
  static final int PURPOSE_OF_REFERENCE_CODE_SEQUENCE = 0x0040A170;
}
