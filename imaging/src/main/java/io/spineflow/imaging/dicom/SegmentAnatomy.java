package io.spineflow.imaging.dicom;

import io.spineflow.imaging.labels.LabelledStructure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * @param structure the class the segment labels
 * @param spiderValue the label value its voxels take
 */
public record SegmentAnatomy(LabelledStructure structure, int spiderValue) {
  public static final String SNOMED_CT = "SCT";

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

  static {
    for (int i = 0; i < VERTEBRAE.size(); i++) {
      BY_CODE.put(
          VERTEBRAE.get(i), new SegmentAnatomy(LabelledStructure.VERTEBRAE, VERTEBRAE.size() - i));
    }
    for (int i = 0; i < DISCS_BELOW.size(); i++) {
      // The last (L5/S1) lies below vertebra 1.
      int vertebra = DISCS_BELOW.size() - i;
      BY_CODE.put(DISCS_BELOW.get(i), new SegmentAnatomy(LabelledStructure.DISCS, 200 + vertebra));
    }
    BY_CODE.put(SPINAL_CORD, new SegmentAnatomy(LabelledStructure.CANAL, 100));
  }

  /** The anatomy of an SCT code, or null when spineflow does not segment it. */
  public static SegmentAnatomy of(String scheme, String code) {
    return SNOMED_CT.equals(scheme) ? BY_CODE.get(code) : null;
  }
}
