package io.spineflow.imaging.dicom;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which MR series spineflow segments: sagittal acquisitions of original images. Every other series
 * is skipped with its reason, which is not an error (a PACS routes whole studies: localizers, axial
 * and coronal series, derived maps and reformats come with the sagittal series). In order:
 *
 * <ol>
 *   <li>{@link Skip#LOCALIZER}: Image Type holds LOCALIZER, or a name (Series Description, Protocol
 *       Name) says localizer, localiser, scout, survey, "loc", 3-plane or tri-pilot.
 *   <li>{@link Skip#DERIVED}: Image Type's first value is DERIVED or its second SECONDARY
 *       (reformats, MIPs, ADC and other computed maps, screen captures).
 *   <li>{@link Skip#AXIAL}, {@link Skip#CORONAL}: the slice normal is closest to the head-foot or
 *       the front-back axis ({@link DicomVolume.Plane}).
 * </ol>
 */
public final class SeriesSelection {
  private static final Pattern LOCALIZER_NAME =
      Pattern.compile(
          "LOCALI[ZS]ER|SCOUT|SURVEY|(?<![A-Z0-9])LOC(?![A-Z0-9])|3[- ]?PLANE|TRI[- ]?PILOT");

  /** Why a series is not segmented. Stable names (they are counted and audited). */
  public enum Skip {
    LOCALIZER,
    DERIVED,
    AXIAL,
    CORONAL
  }

  /** A skip and one line saying why, naming the attribute (never a patient attribute). */
  public record Decision(Skip skip, String reason) {}

  private SeriesSelection() {}

  /**
   * The decision for a series from its instances (read and checked), before assembly; empty when it
   * is to be segmented.
   */
  public static Optional<Decision> skip(List<MrInstance> instances) {
    for (MrInstance instance : instances) {
      DataSet data = instance.image().dataset();
      List<String> type = data.strings(DicomTag.IMAGE_TYPE);
      if (type.stream().anyMatch(v -> v.equalsIgnoreCase("LOCALIZER"))) {
        return Optional.of(
            new Decision(Skip.LOCALIZER, DicomTag.IMAGE_TYPE.field() + " holds LOCALIZER"));
      }
      String names =
          (nonNull(data.string(DicomTag.SERIES_DESCRIPTION))
                  + " "
                  + nonNull(data.string(DicomTag.PROTOCOL_NAME)))
              .toUpperCase(Locale.ROOT);
      if (LOCALIZER_NAME.matcher(names).find()) {
        return Optional.of(
            new Decision(
                Skip.LOCALIZER,
                "SeriesDescription (0008,103E) or ProtocolName (0018,1030) names a localizer"));
      }
      if ((!type.isEmpty() && type.get(0).equalsIgnoreCase("DERIVED"))
          || (type.size() > 1 && type.get(1).equalsIgnoreCase("SECONDARY"))) {
        return Optional.of(
            new Decision(
                Skip.DERIVED,
                DicomTag.IMAGE_TYPE.field()
                    + " is "
                    + String.join("\\", type.subList(0, Math.min(2, type.size())))));
      }
    }
    double[] o = instances.get(0).image().frames().get(0).attributes().imageOrientationPatient();
    double[] normal =
        SeriesAssembler.cross(new double[] {o[0], o[1], o[2]}, new double[] {o[3], o[4], o[5]});
    DicomVolume.Plane plane = DicomVolume.Plane.of(normal);
    return switch (plane) {
      case SAGITTAL -> Optional.empty();
      case AXIAL, CORONAL ->
          Optional.of(
              new Decision(
                  plane == DicomVolume.Plane.AXIAL ? Skip.AXIAL : Skip.CORONAL,
                  DicomTag.IMAGE_ORIENTATION_PATIENT.field()
                      + " gives a "
                      + plane.name().toLowerCase(Locale.ROOT)
                      + " slice; only sagittal series are segmented"));
    };
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
