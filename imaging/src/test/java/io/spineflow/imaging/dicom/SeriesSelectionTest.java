package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which series are segmented: sagittal original images only; the rest skipped with a reason. */
class SeriesSelectionTest {
  private static final DicomReader READER = new DicomReader();

  @ParameterizedTest
  @CsvSource({
    "sag_t1_0001.dcm, ''",
    // GE ADC map: DERIVED\SECONDARY (and axial: the first reason wins).
    "adc_axial_0001.dcm, DERIVED",
    // Siemens XA10 Enhanced MR, ORIGINAL, transverse slices.
    "enhanced_mr_6_1.dcm, AXIAL"
  })
  void realSeries(String file, String expected) throws Exception {
    MrInstance instance = MrInstance.read(READER, DicomFiles.bytes(file));

    assertThat(SeriesSelection.skip(List.of(instance)).map(d -> d.skip().name()).orElse(""))
        .isEqualTo(expected == null ? "" : expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ORIGINAL\\PRIMARY\\LOCALIZER|t1_sag|0\\1\\0\\0\\0\\-1|LOCALIZER",
        "ORIGINAL\\PRIMARY\\M|AAHScout|0\\1\\0\\0\\0\\-1|LOCALIZER",
        "ORIGINAL\\PRIMARY\\M|3-plane loc|0\\1\\0\\0\\0\\-1|LOCALIZER",
        "DERIVED\\PRIMARY\\MPR|t2_sag_mpr|0\\1\\0\\0\\0\\-1|DERIVED",
        "ORIGINAL\\PRIMARY\\M|t2_tse_cor|1\\0\\0\\0\\0\\-1|CORONAL",
        "ORIGINAL\\PRIMARY\\M|t2_tse_tra|1\\0\\0\\0\\1\\0|AXIAL",
        "ORIGINAL\\PRIMARY\\M|t2_tse_sag|0\\1\\0\\0\\0\\-1|''",
        // 30° oblique sagittal: still closest to sagittal.
        "ORIGINAL\\PRIMARY\\M|t2_tse_sag|0\\0.866025\\0.5\\0\\0.5\\-0.866025|''"
      })
  void synthetic(String imageType, String description, String orientation, String expected)
      throws Exception {
    byte[] bytes =
        SeriesCorpusTest.slice(1)
            .text(DicomTag.IMAGE_TYPE, "CS", imageType)
            .text(DicomTag.SERIES_DESCRIPTION, "LO", description)
            .text(DicomTag.IMAGE_ORIENTATION_PATIENT, "DS", orientation)
            .build();

    Optional<SeriesSelection.Decision> decision =
        SeriesSelection.skip(List.of(MrInstance.read(READER, bytes)));

    assertThat(decision.map(d -> d.skip().name()).orElse(""))
        .isEqualTo(expected == null ? "" : expected);
    decision.ifPresent(d -> assertThat(d.reason()).contains("(00"));
  }

  @Test
  void aSkipReasonNamesNoPatientAttribute() throws Exception {
    byte[] bytes =
        SeriesCorpusTest.slice(1)
            .text(DicomTag.PATIENT_NAME, "PN", "Doe^Jane")
            .text(DicomTag.IMAGE_ORIENTATION_PATIENT, "DS", "1\\0\\0\\0\\1\\0")
            .build();

    SeriesSelection.Decision d =
        SeriesSelection.skip(List.of(MrInstance.read(READER, bytes))).orElseThrow();

    assertThat(d.reason()).doesNotContain("Doe");
  }
}
