package io.spineflow.imaging.dicom;

import java.util.HashMap;
import java.util.Map;

/**
 * The actions of PS3.15 Annex E Table E.1-1 (Basic Application Level Confidentiality Profile) for
 * the attributes that occur in MR images and their requests: X remove, Z empty, D a dummy value, U
 * a pseudonymous UID. Attributes not listed are kept, apart from private ones and the rules in
 * {@link Deidentifier} (every non-standard UID replaced, Patient ID pseudonymised). Series
 * Description (0008,103E) and Protocol Name (0018,1030), X in the profile, are kept: spineflow
 * chooses the series by them (see the README).
 */
enum DeidentificationAction {
  REMOVE,
  EMPTY,
  DUMMY,
  UID;

  private static final Map<Integer, DeidentificationAction> TABLE = new HashMap<>();

  static {
    remove(
        0x00080012, // Instance Creation Date
        0x00080013, // Instance Creation Time
        0x00080021, // Series Date
        0x00080022, // Acquisition Date
        0x00080024, // Overlay Date
        0x00080025, // Curve Date
        0x00080031, // Series Time
        0x00080032, // Acquisition Time
        0x00080034, // Overlay Time
        0x00080035, // Curve Time
        0x00080015, // Instance Coercion DateTime
        0x00080080, // Institution Name
        0x00080081, // Institution Address
        0x00080082, // Institution Code Sequence
        0x00080092, // Referring Physician's Address
        0x00080094, // Referring Physician's Telephone Numbers
        0x00080096, // Referring Physician Identification Sequence
        0x00080116, // Responsible Organization
        0x00080201, // Timezone Offset From UTC
        0x00081010, // Station Name
        0x00081030, // Study Description
        0x00081040, // Institutional Department Name
        0x00081048, // Physician(s) of Record
        0x00081049, // Physician(s) of Record Identification Sequence
        0x00081050, // Performing Physician's Name
        0x00081052, // Performing Physician Identification Sequence
        0x00081060, // Name of Physician(s) Reading Study
        0x00081062, // Physician(s) Reading Study Identification Sequence
        0x00081070, // Operators' Name
        0x00081072, // Operator Identification Sequence
        0x00081080, // Admitting Diagnoses Description
        0x00081084, // Admitting Diagnoses Code Sequence
        0x00081110, // Referenced Study Sequence
        0x00081111, // Referenced Performed Procedure Step Sequence
        0x00081120, // Referenced Patient Sequence
        0x00082111, // Derivation Description
        0x00084000, // Identifying Comments
        0x00100021, // Issuer of Patient ID
        0x00100032, // Patient's Birth Time
        0x00100050, // Patient's Insurance Plan Code Sequence
        0x00101000, // Other Patient IDs
        0x00101001, // Other Patient Names
        0x00101002, // Other Patient IDs Sequence
        0x00101005, // Patient's Birth Name
        0x00101010, // Patient's Age
        0x00101020, // Patient's Size
        0x00101030, // Patient's Weight
        0x00101040, // Patient's Address
        0x00101060, // Patient's Mother's Birth Name
        0x00101080, // Military Rank
        0x00101081, // Branch of Service
        0x00101090, // Medical Record Locator
        0x00102000, // Medical Alerts
        0x00102110, // Allergies
        0x00102150, // Country of Residence
        0x00102152, // Region of Residence
        0x00102154, // Patient's Telephone Numbers
        0x00102160, // Ethnic Group
        0x00102180, // Occupation
        0x001021A0, // Smoking Status
        0x001021B0, // Additional Patient History
        0x001021C0, // Pregnancy Status
        0x001021D0, // Last Menstrual Date
        0x001021F0, // Patient's Religious Preference
        0x00102203, // Patient's Sex Neutered
        0x00102297, // Responsible Person
        0x00102299, // Responsible Organization
        0x00104000, // Patient Comments
        0x00181004, // Plate ID
        0x00181012, // Date of Secondary Capture
        0x00181014, // Time of Secondary Capture
        0x00181200, // Date of Last Calibration
        0x00181201, // Time of Last Calibration
        0x0018700C, // Date of Last Detector Calibration
        0x00181005, // Generator ID
        0x00181007, // Cassette ID
        0x00181008, // Gantry ID
        0x00181400, // Acquisition Device Processing Description
        0x00184000, // Acquisition Comments
        0x0018700A, // Detector ID
        0x00189424, // Acquisition Protocol Description
        0x0018A003, // Contribution Description
        0x00204000, // Image Comments
        0x00209158, // Frame Comments
        0x00320032, // Study Verified Date
        0x00320033, // Study Verified Time
        0x00320034, // Study Read Date
        0x00320035, // Study Read Time
        0x00321000, // Scheduled Study Start Date
        0x00321001, // Scheduled Study Start Time
        0x00321010, // Scheduled Study Stop Date
        0x00321011, // Scheduled Study Stop Time
        0x00321030, // Reason for Study
        0x00321032, // Requesting Physician
        0x00321033, // Requesting Service
        0x00321060, // Requested Procedure Description
        0x00321040, // Study Arrival Date
        0x00321041, // Study Arrival Time
        0x00321050, // Study Completion Date
        0x00321051, // Study Completion Time
        0x00321070, // Requested Contrast Agent
        0x00324000, // Study Comments
        0x00380010, // Admission ID
        0x00380020, // Admitting Date
        0x00380021, // Admitting Time
        0x00380030, // Discharge Date
        0x00380032, // Discharge Time
        0x00380050, // Special Needs
        0x00380300, // Current Patient Location
        0x00380400, // Patient's Institution Residence
        0x00380500, // Patient State
        0x00384000, // Visit Comments
        0x00400002, // Scheduled Procedure Step Start Date
        0x00400003, // Scheduled Procedure Step Start Time
        0x00400004, // Scheduled Procedure Step End Date
        0x00400005, // Scheduled Procedure Step End Time
        0x00400006, // Scheduled Performing Physician's Name
        0x00400007, // Scheduled Procedure Step Description
        0x00400009, // Scheduled Procedure Step ID
        0x00400241, // Performed Station AE Title
        0x00400242, // Performed Station Name
        0x00400243, // Performed Location
        0x00400244, // Performed Procedure Step Start Date
        0x00400245, // Performed Procedure Step Start Time
        0x00400250, // Performed Procedure Step End Date
        0x00400251, // Performed Procedure Step End Time
        0x00400253, // Performed Procedure Step ID
        0x00400254, // Performed Procedure Step Description
        0x00400275, // Request Attributes Sequence
        0x00400280, // Comments on the Performed Procedure Step
        0x00401001, // Requested Procedure ID
        0x00401400, // Requested Procedure Comments
        0x00402016, // Placer Order Number / Imaging Service Request
        0x00402017, // Filler Order Number / Imaging Service Request
        0x00402004, // Issue Date of Imaging Service Request
        0x00402005, // Issue Time of Imaging Service Request
        0x00402400, // Imaging Service Request Comments
        0x00403001, // Confidentiality Constraint on Patient Data Description
        0x0040A030, // Verification DateTime
        0x0040A032, // Observation DateTime
        0x0040A123, // Person Name
        0x0040A730, // Content Sequence
        0x0018A001, // Contributing Equipment Sequence
        0x04000561, // Original Attributes Sequence
        0x20300020, // Text String
        0x40000010, // Arbitrary
        0x40004000, // Text Comments
        0x40080042, // Results ID Issuer
        0xFFFCFFFC); // Data Set Trailing Padding (whatever bytes a writer left there)
    empty(
        0x00080020, // Study Date
        0x00080030, // Study Time
        0x00080050, // Accession Number
        0x00080090, // Referring Physician's Name
        0x00100010, // Patient's Name
        0x00100030, // Patient's Birth Date
        0x00100040, // Patient's Sex
        0x00200010); // Study ID
    dummy(
        0x00080023, // Content Date (Type 1 in Enhanced MR: D keeps the IOD valid)
        0x00080033, // Content Time
        0x0008002A, // Acquisition DateTime
        0x00189074, // Frame Acquisition DateTime
        0x00189151, // Frame Reference DateTime
        0x00181000); // Device Serial Number (Type 1 in Enhanced General Equipment)
    uid(
        0x00080014, // Instance Creator UID
        0x00080018, // SOP Instance UID
        0x00081155, // Referenced SOP Instance UID
        0x00081195, // Transaction UID
        0x00083010, // Irradiation Event UID
        0x00181002, // Device UID
        0x0020000D, // Study Instance UID
        0x0020000E, // Series Instance UID
        0x00200052, // Frame of Reference UID
        0x00200200, // Synchronization Frame of Reference UID
        0x00209161, // Concatenation UID
        0x00209164, // Dimension Organization UID
        0x0040A124, // UID
        0x00880140, // Storage Media File-set UID
        0x30060024, // Referenced Frame of Reference UID
        0x300600C2); // Related Frame of Reference UID
  }

  /**
   * The VR of a dummy (D) attribute, for an implicit VR file whose reader did not know it: the
   * dummy must be a valid value of the attribute's VR.
   */
  static VR dummyVr(int tag) {
    return switch (tag) {
      case 0x00080023 -> VR.DA;
      case 0x00080033 -> VR.TM;
      case 0x0008002A, 0x00189074, 0x00189151 -> VR.DT;
      default -> VR.LO;
    };
  }

  private static void remove(int... tags) {
    put(REMOVE, tags);
  }

  private static void empty(int... tags) {
    put(EMPTY, tags);
  }

  private static void dummy(int... tags) {
    put(DUMMY, tags);
  }

  private static void uid(int... tags) {
    put(UID, tags);
  }

  private static void put(DeidentificationAction action, int... tags) {
    for (int tag : tags) {
      TABLE.put(tag, action);
    }
  }

  /**
   * The action for a tag, or null to keep it. Curves (50xx) and overlay data and comments
   * (60xx,3000 and 60xx,4000) are removed whatever their group's last byte.
   */
  static DeidentificationAction of(int tag) {
    int group = tag >>> 16;
    int element = tag & 0xFFFF;
    if ((group & 0xFF00) == 0x5000) {
      return REMOVE;
    }
    if ((group & 0xFF00) == 0x6000 && (element == 0x3000 || element == 0x4000)) {
      return REMOVE;
    }
    return TABLE.get(tag);
  }
}
