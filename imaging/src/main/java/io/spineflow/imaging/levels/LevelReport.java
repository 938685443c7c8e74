package io.spineflow.imaging.levels;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-level analysis of one study.
 *
 * @param sagittalAxis the array axis across which the slice was taken (the most left-right one)
 * @param sliceIndex the slice along it (the canal's centroid unless one was asked for)
 * @param spacingAMm pixel spacing along the slice's lower array axis
 * @param spacingBMm pixel spacing along its higher array axis
 * @param discsFound disc components found (placeholders not counted)
 * @param bodiesFound vertebral body components found, the sacrum not counted
 * @param levels lowest first
 * @param flags study-level flags, {@code CODE: detail} ({@link LevelFlag})
 */
public record LevelReport(
    int sagittalAxis,
    int sliceIndex,
    double spacingAMm,
    double spacingBMm,
    int discsFound,
    int bodiesFound,
    List<LevelMeasurement> levels,
    List<String> flags) {

  public static final String CSV_HEADER =
      "order,name,kind,found,slice,position_mm,anterior_mm,middle_mm,posterior_mm,canal_ap_mm,flags";

  public LevelReport {
    levels = List.copyOf(levels);
    flags = List.copyOf(flags);
  }

  /** The level called {@code name}, if listed. */
  public Optional<LevelMeasurement> level(String name) {
    return levels.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** One CSV row per level under {@link #CSV_HEADER}; nulls are empty cells, flags joined by |. */
  public String toCsv() {
    return toCsv(levels);
  }

  /**
   * {@code levels} as {@link #toCsv()} writes them: also for levels that come from elsewhere (a
   * {@code segmentations} event, which carries no position: an empty cell).
   */
  public static String toCsv(List<LevelMeasurement> levels) {
    StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
    for (LevelMeasurement l : levels) {
      out.append(l.order())
          .append(',')
          .append(l.name())
          .append(',')
          .append(l.kind().name().toLowerCase(Locale.ROOT))
          .append(',')
          .append(l.found())
          .append(',')
          .append(l.sliceIndex() == null ? "" : l.sliceIndex())
          .append(',')
          .append(cell(l.positionMm()))
          .append(',')
          .append(cell(l.anteriorMm()))
          .append(',')
          .append(cell(l.middleMm()))
          .append(',')
          .append(cell(l.posteriorMm()))
          .append(',')
          .append(cell(l.canalApMm()))
          .append(',')
          .append(quoted(String.join(" | ", l.flags())))
          .append('\n');
    }
    return out.toString();
  }

  private static String cell(Double value) {
    return value == null ? "" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String quoted(String text) {
    return text.isEmpty() ? "" : '"' + text.replace("\"", "\"\"") + '"';
  }
}
