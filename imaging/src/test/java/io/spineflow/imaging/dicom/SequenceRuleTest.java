package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The documented sequence rule, on real files and on names as scanners write them. */
class SequenceRuleTest {
  private static final DicomReader READER = new DicomReader();

  @ParameterizedTest
  @CsvSource({
    // A real Siemens 2D gradient echo T1 (TE 2.46, TR 300), named t1_fl2d_sag.
    "sag_t1_0001.dcm, T1",
    // NEMA MR1 (no names; MR Acquisition Type 3D, spin echo, TE 240 ms, TR 4000 ms): a 3D T2 by
    // its timing, so T2 SPACE.
    "MR_small.dcm, T2_SPACE",
    // GE ADC map: diffusion, none of spineflow's contrasts.
    "adc_axial_0001.dcm, ''"
  })
  void realFiles(String file, String expected) throws Exception {
    DataSet data = READER.readFile(DicomFiles.bytes(file)).dataset();

    assertThat(SequenceRule.classify(data).map(Enum::name).orElse(""))
        .isEqualTo(expected == null ? "" : expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "t2_tse_sag_384|2D|||T2",
        "T2W_TSE SAG|2D|||T2",
        "t2_spc_sag_iso|3D|||T2_SPACE",
        "Sag CUBE T2|3D|||T2_SPACE",
        "sag T2 VISTA|2D|||T2_SPACE",
        "t1_tse_sag|2D|||T1",
        "T1W_3D_TFE|3D|||T1",
        "t2_stir_sag|2D|||''",
        "PD_TSE_SAG|2D|||''",
        "sag|2D|12|500|T1",
        "sag|2D|100|3500|T2",
        "sag|3D|120|2500|T2_SPACE",
        "sag|2D|40|1500|''",
        "T10 something|2D|||''",
        "sag|2D|||''"
      })
  void names(String description, String acquisition, String te, String tr, String expected)
      throws Exception {
    DicomBuilder b =
        DicomBuilder.image()
            .text(DicomTag.SERIES_DESCRIPTION, "LO", description)
            .text(DicomTag.MR_ACQUISITION_TYPE, "CS", acquisition);
    if (te != null) {
      b.text(DicomTag.ECHO_TIME, "DS", te).text(DicomTag.REPETITION_TIME, "DS", tr);
    }
    DataSet data = READER.readFile(b.build()).dataset();

    Optional<Sequence> sequence = SequenceRule.classify(data);

    assertThat(sequence.map(Enum::name).orElse("")).isEqualTo(expected == null ? "" : expected);
  }
}
