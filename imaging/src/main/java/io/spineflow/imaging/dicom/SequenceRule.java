package io.spineflow.imaging.dicom;

import io.spineflow.imaging.Sequence;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which of spineflow's MR sequences (T1, T2, T2 SPACE) a series is, from its DICOM attributes. The
 * rule, in order (the first that decides wins):
 *
 * <ol>
 *   <li>The names: Series Description, Protocol Name and Sequence Name, upper-cased. A contrast
 *       spineflow's models were not trained on (STIR, TIRM, FLAIR, proton density "PD", diffusion
 *       "DWI"/"ADC"/"DIFF") gives no sequence.
 *   <li>"T2" as a word part (T2, T2W, t2_tse; not T20) and no "T1": T2, or T2 SPACE when MR
 *       Acquisition Type is 3D or a name says a 3D turbo spin echo (SPACE, Siemens' sequence name
 *       *spc, GE's CUBE, Philips' VISTA).
 *   <li>"T1" and no "T2": T1 (a 3D T1 too: SPIDER has none, its T1 model is the nearest).
 *   <li>Else (no name, or both): Echo and Repetition Time decide, as the textbook weightings do: TR
 *       ≤ 1000 ms and TE ≤ 30 ms is T1; TR ≥ 2000 ms and TE ≥ 60 ms is T2 (T2 SPACE when 3D).
 *   <li>Otherwise unknown: the series is still segmented, as {@code UNKNOWN}.
 * </ol>
 */
public final class SequenceRule {
  private static final Pattern OTHER_CONTRAST =
      Pattern.compile("(?<![A-Z0-9])(STIR|TIRM|FLAIR|PD|PDW|DWI|ADC|DIFF|DIFFUSION)(?![A-Z0-9])");
  private static final Pattern T1 = Pattern.compile("(?<![A-Z0-9])T1(?![0-9])");
  private static final Pattern T2 = Pattern.compile("(?<![A-Z0-9])T2(?![0-9])");
  private static final Pattern SPACE_3D = Pattern.compile("SPACE|(?<![A-Z0-9])SPC|CUBE|VISTA");

  private SequenceRule() {}

  /** The sequence of a series from one of its instances' data set; empty when unknown. */
  public static Optional<Sequence> classify(DataSet data) {
    String names =
        String.join(
                " ",
                text(data, DicomTag.SERIES_DESCRIPTION),
                text(data, DicomTag.PROTOCOL_NAME),
                text(data, DicomTag.SEQUENCE_NAME))
            .toUpperCase(Locale.ROOT);
    boolean threeD =
        "3D".equalsIgnoreCase(text(data, DicomTag.MR_ACQUISITION_TYPE))
            || SPACE_3D.matcher(names).find();
    if (OTHER_CONTRAST.matcher(names).find()) {
      return Optional.empty();
    }
    boolean t1 = T1.matcher(names).find();
    boolean t2 = T2.matcher(names).find();
    if (t2 && !t1) {
      return Optional.of(threeD ? Sequence.T2_SPACE : Sequence.T2);
    }
    if (t1 && !t2) {
      return Optional.of(Sequence.T1);
    }
    Double te = first(data, DicomTag.ECHO_TIME);
    Double tr = first(data, DicomTag.REPETITION_TIME);
    if (te == null || tr == null) {
      return Optional.empty();
    }
    if (tr <= 1000 && te <= 30) {
      return Optional.of(Sequence.T1);
    }
    if (tr >= 2000 && te >= 60) {
      return Optional.of(threeD ? Sequence.T2_SPACE : Sequence.T2);
    }
    return Optional.empty();
  }

  private static String text(DataSet data, DicomTag tag) {
    String value = data.string(tag);
    return value == null ? "" : value;
  }

  private static Double first(DataSet data, DicomTag tag) {
    try {
      double[] values = data.decimals(tag);
      return values.length == 0 ? null : values[0];
    } catch (DicomException e) {
      return null; // a malformed timing decides nothing
    }
  }
}
