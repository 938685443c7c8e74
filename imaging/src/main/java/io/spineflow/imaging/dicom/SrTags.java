package io.spineflow.imaging.dicom;

/** Attributes of Structured Reports (PS3.6) that {@link MeasurementReportWriter} writes. */
final class SrTags {
  static final int MAPPING_RESOURCE = 0x00080105;
  static final int REFERENCED_PERFORMED_PROCEDURE_STEP_SEQUENCE = 0x00081111;
  static final int REFERENCED_SOP_SEQUENCE = 0x00081199;
  static final int MEASUREMENT_UNITS_CODE_SEQUENCE = 0x004008EA;
  static final int RELATIONSHIP_TYPE = 0x0040A010;
  static final int VALUE_TYPE = 0x0040A040;
  static final int CONCEPT_NAME_CODE_SEQUENCE = 0x0040A043;
  static final int CONTINUITY_OF_CONTENT = 0x0040A050;
  static final int UID = 0x0040A124;
  static final int TEXT_VALUE = 0x0040A160;
  static final int CONCEPT_CODE_SEQUENCE = 0x0040A168;
  static final int MEASURED_VALUE_SEQUENCE = 0x0040A300;
  static final int NUMERIC_VALUE = 0x0040A30A;
  static final int PERFORMED_PROCEDURE_CODE_SEQUENCE = 0x0040A372;
  static final int CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE = 0x0040A375;
  static final int COMPLETION_FLAG = 0x0040A491;
  static final int VERIFICATION_FLAG = 0x0040A493;
  static final int CONTENT_TEMPLATE_SEQUENCE = 0x0040A504;
  static final int CONTENT_SEQUENCE = 0x0040A730;
  static final int TEMPLATE_IDENTIFIER = 0x0040DB00;

  private SrTags() {}
}
