package io.spineflow.imaging.dicom;

import io.spineflow.imaging.labels.LabelledStructure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coded anatomies a hospital's Segmentation may carry and the SPIDER label value each becomes.
 * Codes are SNOMED CT (scheme {@code SCT}) from DICOM PS3.16: CID 7603 "Vertebra" (C1 … L5), CID
 * 7604 "Intervertebral Disc" (C2/C3 … L5/S1) and "Spinal cord" (CID 7150), which a spine MR
 * segments as the canal.
 *
 * <p>Levels count from the sacrum upwards, as SPIDER numbers them: L5 is vertebra 1, L4 is 2, … C1
 * is 24; the disc below vertebra n is 200 + n (L5/S1 is 201, L4/L5 is 202, …). The canal is 100.
 * Preprocessing's 4-class merge only needs vertebrae within 1–99 and discs at 201 and above.
 *
 * <p>The same table serves both directions: {@link #of} reads a code, {@link #codeOf} gives the
 * code a label value is written with ({@link SegmentationWriter}). Segments of the merged classes
 * (a vertebra, a disc, without level) are coded {@link #VERTEBRA}, {@link #INTERVERTEBRAL_DISC} and
 * read back as 1 and 201, the values of preprocessing's merge; the canal is written as {@link
 * #VERTEBRAL_CANAL} (SPIDER's 100 is the canal, cord and fluid, not the cord alone) and the cord's
 * code is still read as the canal.
 *
 * @param structure the class the segment labels
 * @param spiderValue the label value its voxels take
 */
public record SegmentAnatomy(LabelledStructure structure, int spiderValue) {
  public static final String SNOMED_CT = "SCT";

  /**
   * spineflow's local coding scheme (PS3.16 8.2: a designator starting with "99"), for the one
   * concept DICOM's context groups do not code: an intervertebral disc without level (CID 7604
   * lists levels only).
   */
  public static final String LOCAL_SCHEME = "99SPINEFLOW";

  /** A coded concept: Coding Scheme Designator, Code Value, Code Meaning. */
  public record Code(String scheme, String value, String meaning) {}

  /** The Segmented Property Category of every segment (CID 7150). */
  public static final Code ANATOMICAL_STRUCTURE =
      new Code(SNOMED_CT, "91723000", "Anatomical Structure");

  /** A vertebra without level (CID 7151). */
  public static final Code VERTEBRA = new Code(SNOMED_CT, "51282000", "Vertebra");

  /** The spinal canal (CID 8134 "Vertebral canal"): SPIDER's value 100. */
  public static final Code VERTEBRAL_CANAL = new Code(SNOMED_CT, "61853006", "Vertebral canal");

  /** An intervertebral disc without level: spineflow's local code. */
  public static final Code INTERVERTEBRAL_DISC =
      new Code(LOCAL_SCHEME, "IVD", "Intervertebral disc");

  /** Vertebra names, C1 first, in the order of {@link #VERTEBRAE}. */
  private static final List<String> VERTEBRA_NAMES =
      List.of(
          "C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8",
          "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5");

  /** CID 7603, C1 first. */
  private static final List<String> VERTEBRAE =
      List.of(
          "14806007",
          "39976000",
          "113205007",
          "5329002",
          "36978003",
          "36054005",
          "87391001",
          "64864005",
          "53733008",
          "1626008",
          "73071006",
          "56401006",
          "45296009",
          "62487009",
          "11068009",
          "82687006",
          "7610001",
          "12989004",
          "23215003",
          "66794005",
          "14293000",
          "36470004",
          "11994002",
          "49668003");

  /** CID 7604, the disc below C2 first (null for discs whose codes are not listed here). */
  private static final List<String> DISCS_BELOW =
      List.of(
          // C2/C3 … T9/T10 are not kept: lumbar MR reaches T10 at most.
          "34959001", // T10/T11
          "1537001", // T11/T12
          "76206002", // T12/L1
          "80064006", // L1/L2
          "67459009", // L2/L3
          "62551000", // L3/L4
          "84020006", // L4/L5
          "715056000"); // L5/S1

  private static final String SPINAL_CORD = "2748008";

  private static final Map<String, SegmentAnatomy> BY_CODE = new HashMap<>();

  /** The code each SPIDER value is written with, by value. */
  private static final Map<Integer, Code> BY_VALUE = new TreeMap<>();

  static {
    for (int i = 0; i < VERTEBRAE.size(); i++) {
      int value = VERTEBRAE.size() - i;
      BY_CODE.put(VERTEBRAE.get(i), new SegmentAnatomy(LabelledStructure.VERTEBRAE, value));
      BY_VALUE.put(
          value, new Code(SNOMED_CT, VERTEBRAE.get(i), VERTEBRA_NAMES.get(i) + " vertebra"));
    }
    for (int i = 0; i < DISCS_BELOW.size(); i++) {
      // The last (L5/S1) lies below vertebra 1.
      int vertebra = DISCS_BELOW.size() - i;
      BY_CODE.put(DISCS_BELOW.get(i), new SegmentAnatomy(LabelledStructure.DISCS, 200 + vertebra));
      String above = VERTEBRA_NAMES.get(VERTEBRAE.size() - vertebra);
      String below = vertebra == 1 ? "S1" : VERTEBRA_NAMES.get(VERTEBRAE.size() - vertebra + 1);
      BY_VALUE.put(
          200 + vertebra, new Code(SNOMED_CT, DISCS_BELOW.get(i), above + "/" + below + " disc"));
    }
    BY_CODE.put(SPINAL_CORD, new SegmentAnatomy(LabelledStructure.CANAL, 100));
    BY_CODE.put(VERTEBRAL_CANAL.value(), new SegmentAnatomy(LabelledStructure.CANAL, 100));
    BY_VALUE.put(100, VERTEBRAL_CANAL);
    BY_CODE.put(VERTEBRA.value(), new SegmentAnatomy(LabelledStructure.VERTEBRAE, 1));
  }

  /** The anatomy of a code, or null when spineflow does not segment it. */
  public static SegmentAnatomy of(String scheme, String code) {
    if (LOCAL_SCHEME.equals(scheme) && INTERVERTEBRAL_DISC.value().equals(code)) {
      return new SegmentAnatomy(LabelledStructure.DISCS, 201);
    }
    return SNOMED_CT.equals(scheme) ? BY_CODE.get(code) : null;
  }

  /**
   * The code a SPIDER label value is written with: its level's SCT code for a vertebra (1–24) or a
   * disc (201–208), {@link #VERTEBRAL_CANAL} for 100; null for a value without one.
   */
  public static Code codeOf(int spiderValue) {
    return BY_VALUE.get(spiderValue);
  }

  /**
   * The SPIDER value of a level named as {@code levels.LevelAnalyzer} names them: a vertebra
   * ({@code L5} = 1 … {@code C1} = 24) or the disc below one ({@code L5/S1} = 201, {@code T12/L1} =
   * 206), from the same table as the codes; null for any other name (the sacrum {@code S1},
   * unnumbered {@code ?1}, a disc whose two vertebrae do not follow each other).
   */
  public static Integer valueOfLevel(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      int i = VERTEBRA_NAMES.indexOf(name);
      return i < 0 ? null : VERTEBRAE.size() - i;
    }
    int above = VERTEBRA_NAMES.indexOf(name.substring(0, slash));
    String below = name.substring(slash + 1);
    boolean follows =
        above >= 0
            && (above == VERTEBRA_NAMES.size() - 1
                ? below.equals("S1")
                : below.equals(VERTEBRA_NAMES.get(above + 1)));
    if (!follows) {
      return null;
    }
    int value = 200 + VERTEBRAE.size() - above;
    return BY_VALUE.containsKey(value) ? value : null;
  }

  /** The code of a class without level: vertebrae, canal or discs. */
  public static Code classCode(LabelledStructure structure) {
    return switch (structure) {
      case VERTEBRAE, VERTEBRAL_BODIES -> VERTEBRA;
      case CANAL -> VERTEBRAL_CANAL;
      case DISCS -> INTERVERTEBRAL_DISC;
    };
  }

  /**
   * The class a SPIDER value belongs to (1–99 vertebrae, 100 canal, 201–224 discs: below vertebra
   * 1–24), or null. 225 and above are no label (255 is the labels module's "unknown").
   */
  public static LabelledStructure classOf(int spiderValue) {
    if (spiderValue >= 1 && spiderValue <= 99) {
      return LabelledStructure.VERTEBRAE;
    }
    if (spiderValue == 100) {
      return LabelledStructure.CANAL;
    }
    return spiderValue > 200 && spiderValue <= 224 ? LabelledStructure.DISCS : null;
  }
}
