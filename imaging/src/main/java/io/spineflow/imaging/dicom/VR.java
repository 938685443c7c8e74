package io.spineflow.imaging.dicom;

/** DICOM value representations (PS3.5 §6.2). */
public enum VR {
  AE,
  AS,
  AT,
  CS,
  DA,
  DS,
  DT,
  FL,
  FD,
  IS,
  LO,
  LT,
  OB,
  OD,
  OF,
  OL,
  OV,
  OW,
  PN,
  SH,
  SL,
  SQ,
  SS,
  ST,
  SV,
  TM,
  UC,
  UI,
  UL,
  UN,
  UR,
  US,
  UT,
  UV;

  /**
   * Whether explicit VR encodes this VR's length in 4 bytes after 2 reserved ones (PS3.5 §7.1.2);
   * the others have a 2-byte length.
   */
  public boolean hasLongLength() {
    return switch (this) {
      case OB, OD, OF, OL, OV, OW, SQ, UC, UN, UR, UT, SV, UV -> true;
      default -> false;
    };
  }

  /** Whether the value is text (decoded with the Specific Character Set). */
  public boolean isText() {
    return switch (this) {
      case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT -> true;
      default -> false;
    };
  }

  /** The VR spelled by two bytes of an explicit VR element, or null if they spell none. */
  static VR of(int first, int second) {
    if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
      return null;
    }
    try {
      return valueOf(new String(new char[] {(char) first, (char) second}));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
