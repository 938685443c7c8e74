package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.dicom.DicomImage.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vendored real files (see {@code files/ATTRIBUTION.md}) read as an independent tool reads
 * them. Every expected value was obtained with pydicom 3.0.2 + numpy ({@code ds.pixel_array *
 * RescaleSlope + RescaleIntercept}, then {@code min()}, {@code max()}, {@code sum()} and single
 * pixels {@code [row, column]}; attributes as pydicom prints them) and agrees with DCMTK 3.6.7's
 * {@code dcmdump}; JPEG Lossless files were decoded with DCMTK's {@code dcmdjpeg} first.
 */
class DicomReferenceFilesTest {
  private static final DicomReader READER = new DicomReader();
  private static final String MR_SMALL_SOP = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
  private static final String MR_SMALL_SERIES = "1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457";

  /** Min, max and sum over every frame, and pixels [0,0], [rows/2, cols/2], [rows-1, cols-1]. */
  private record Stats(double min, double max, double sum, float first, float centre, float last) {
    static Stats of(DicomImage image) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (Frame frame : image.frames()) {
        for (float v : frame.values()) {
          min = Math.min(min, v);
          max = Math.max(max, v);
          sum += v;
        }
      }
      PixelDescription p = image.pixels();
      float[] f = image.frames().get(0).values();
      int c = p.columns();
      return new Stats(
          min, max, sum, f[0], f[(p.rows() / 2) * c + c / 2], f[(p.rows() - 1) * c + c - 1]);
    }
  }

  /** MR_small (NEMA MR1 at 64×64) in every syntax spineflow decodes: the same values each time. */
  @ParameterizedTest
  @CsvSource({
    "MR_small.dcm, 1.2.840.10008.1.2.1",
    "MR_small_implicit.dcm, 1.2.840.10008.1.2",
    "MR_small_bigendian.dcm, 1.2.840.10008.1.2.2",
    "MR_small_RLE.dcm, 1.2.840.10008.1.2.5",
    "MR_small_deflated.dcm, 1.2.840.10008.1.2.1.99",
    "MR_small_implicit_nometa.dcm, 1.2.840.10008.1.2"
  })
  void mrSmallReadsTheSameInEverySyntax(String file, String syntax) throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes(file));

    assertThat(image.file().transferSyntax().uid()).isEqualTo(syntax);
    DataSet data = image.dataset();
    assertThat(data.string(DicomTag.SOP_INSTANCE_UID)).isEqualTo(MR_SMALL_SOP);
    assertThat(data.string(DicomTag.SERIES_INSTANCE_UID)).isEqualTo(MR_SMALL_SERIES);
    assertThat(data.string(DicomTag.STUDY_INSTANCE_UID))
        .isEqualTo("1.3.6.1.4.1.5962.1.2.4.20040826185059.5457");
    assertThat(data.string(DicomTag.SOP_CLASS_UID)).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
    assertThat(data.string(DicomTag.MODALITY)).isEqualTo("MR");
    assertThat(data.string(DicomTag.PATIENT_ID)).isEqualTo("4MR1");
    assertThat(data.string(DicomTag.PATIENT_NAME)).isEqualTo("CompressedSamples^MR1");
    assertThat(data.strings(DicomTag.IMAGE_TYPE)).containsExactly("DERIVED", "SECONDARY", "OTHER");
    assertThat(data.decimals(DicomTag.ECHO_TIME)).containsExactly(240.0);
    assertThat(data.decimals(DicomTag.REPETITION_TIME)).containsExactly(4000.0);
    assertThat(image.pixels()).isEqualTo(new PixelDescription(64, 64, 1, 16, 16, 15, true, false));
    FrameAttributes frame = image.frames().get(0).attributes();
    assertThat(frame.imagePositionPatient()).containsExactly(-83.9063, -91.2, 6.6406);
    assertThat(frame.imageOrientationPatient()).containsExactly(1, 0, 0, 0, 1, 0);
    assertThat(frame.pixelSpacing()).containsExactly(0.3125, 0.3125);
    assertThat(frame.sliceThickness()).isEqualTo(0.8);
    assertThat(Stats.of(image)).isEqualTo(new Stats(127, 2145, 2125338, 905, 182, 862));
    // pydicom: pixel_array[1, 2]
    assertThat(image.frames().get(0).values()[64 + 2]).isEqualTo(907f);
  }

  /** Files DCMTK converted (or pydicom re-encoded) decode to exactly their original's values. */
  @ParameterizedTest
  @CsvSource({
    "MR_small.dcm, MR_small_implicit.dcm",
    "MR_small.dcm, MR_small_bigendian.dcm",
    "MR_small.dcm, MR_small_RLE.dcm",
    "MR_small.dcm, MR_small_deflated.dcm",
    "MR_small.dcm, MR_small_implicit_nometa.dcm",
    "MR_small.dcm, MR_small_jpll_sv1.dcm",
    "MR_small.dcm, MR_small_jpll_sv2.dcm",
    "MR_small.dcm, MR_small_jpll_sv3.dcm",
    "MR_small.dcm, MR_small_jpll_sv4.dcm",
    "MR_small.dcm, MR_small_jpll_sv5.dcm",
    "MR_small.dcm, MR_small_jpll_sv6.dcm",
    "MR_small.dcm, MR_small_jpll_sv7.dcm",
    "MR1_RLE.dcm, MR1_JPLL.dcm",
    "enhanced_mr_6_1.dcm, enhanced_mr_6_1_jpll.dcm",
    "enhanced_mr_6_1.dcm, enhanced_mr_6_1_bigendian.dcm",
    "enhanced_mr_6_1.dcm, enhanced_mr_6_1_rle.dcm"
  })
  void convertedFilesDecodeIdenticalToTheirOriginal(String original, String converted)
      throws Exception {
    List<Frame> expected = READER.read(DicomFiles.bytes(original)).frames();
    List<Frame> actual = READER.read(DicomFiles.bytes(converted)).frames();

    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).values()).isEqualTo(expected.get(i).values());
      assertThat(actual.get(i).attributes().imagePositionPatient())
          .isEqualTo(expected.get(i).attributes().imagePositionPatient());
    }
  }

  /**
   * JPEG Lossless with point transform 2 (DCMTK's {@code dcmcjpeg +el +sv 1 +pt 2}) drops the two
   * low bits: the values are what {@code dcmdjpeg} decodes, not the original's.
   */
  @Test
  void jpegLosslessWithAPointTransformDecodesAsDcmtkDoes() throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes("MR_small_jpll_sv1_pt2.dcm"));

    assertThat(image.file().transferSyntax().uid()).isEqualTo(TransferSyntax.JPEG_LOSSLESS);
    assertThat(Stats.of(image)).isEqualTo(new Stats(124, 2144, 2119108, 904, 180, 860));
    assertThat(image.frames().get(0).values()[64 + 2]).isEqualTo(904f);
  }

  @Test
  void ctSmallAppliesTheRescaleIntercept() throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes("CT_small.dcm"));

    DataSet data = image.dataset();
    assertThat(data.string(DicomTag.SOP_INSTANCE_UID))
        .isEqualTo("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
    assertThat(data.string(DicomTag.MODALITY)).isEqualTo("CT");
    assertThat(data.string(DicomTag.SPECIFIC_CHARACTER_SET)).isEqualTo("ISO_IR 100");
    assertThat(image.pixels())
        .isEqualTo(new PixelDescription(128, 128, 1, 16, 16, 15, true, false));
    FrameAttributes frame = image.frames().get(0).attributes();
    assertThat(frame.rescaleIntercept()).isEqualTo(-1024);
    assertThat(frame.rescaleSlope()).isEqualTo(1);
    assertThat(frame.imagePositionPatient()).containsExactly(-158.135803, -179.035797, -75.699997);
    assertThat(Stats.of(image)).isEqualTo(new Stats(-896, 1167, -1950906, -849, 904, -115));
  }

  @Test
  void deflatedEightBitImageFromAnotherEncoder() throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes("image_dfl.dcm"));

    assertThat(image.file().transferSyntax().uid()).isEqualTo("1.2.840.10008.1.2.1.99");
    assertThat(image.dataset().string(DicomTag.SOP_INSTANCE_UID))
        .isEqualTo("1.3.6.1.4.1.5962.1.1.0.0.0.977067309.6001.0");
    assertThat(image.pixels()).isEqualTo(new PixelDescription(512, 512, 1, 8, 8, 7, false, false));
    assertThat(Stats.of(image)).isEqualTo(new Stats(0, 255, 33322688, 213, 65, 188));
  }

  @Test
  void nemaMr1InRleFromAnotherEncoder() throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes("MR1_RLE.dcm"));

    assertThat(image.file().transferSyntax().uid()).isEqualTo(TransferSyntax.RLE_LOSSLESS);
    assertThat(image.dataset().string(DicomTag.SOP_INSTANCE_UID))
        .isEqualTo("1.2.276.0.7230010.3.1.4.1787205428.2348.1071048147.1");
    assertThat(image.pixels())
        .isEqualTo(new PixelDescription(512, 512, 1, 16, 16, 15, true, false));
    // Also what dcmdjpeg makes of MR1_JPLL.dcm, the same image in JPEG Lossless.
    assertThat(Stats.of(image)).isEqualTo(new Stats(0, 4000, 126140037, 0, 552, 0));
  }

  /** Two slices of a real sagittal T1 series: what series assembly will need from each file. */
  @ParameterizedTest
  @CsvSource({
    "sag_t1_0001.dcm, 1.3.12.2.1107.5.2.43.67060.2022040715053454597060816, 1, -81.599998474121,"
        + " 959, 471485, 8",
    "sag_t1_0002.dcm, 1.3.12.2.1107.5.2.43.67060.2022040715053473863460818, 2, -76.800003051758,"
        + " 1065, 1303753, 272"
  })
  void sagittalT1Series(
      String file, String sop, long instance, double x, double max, double sum, float centre)
      throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes(file));

    DataSet data = image.dataset();
    assertThat(data.string(DicomTag.SOP_INSTANCE_UID)).isEqualTo(sop);
    assertThat(data.string(DicomTag.SERIES_INSTANCE_UID))
        .isEqualTo("1.3.12.2.1107.5.2.43.67060.2022040715044210837860713.0.0.0");
    assertThat(data.string(DicomTag.STUDY_INSTANCE_UID))
        .isEqualTo("1.3.12.2.1107.5.2.43.67060.30000022040717195958300000010");
    assertThat(data.string(DicomTag.FRAME_OF_REFERENCE_UID))
        .isEqualTo("1.3.12.2.1107.5.2.43.67060.2.20220407150138168.0.0.0");
    assertThat(data.integer(DicomTag.INSTANCE_NUMBER)).isEqualTo(instance);
    assertThat(data.string(DicomTag.SERIES_DESCRIPTION)).isEqualTo("t1_fl2d_sag");
    assertThat(data.string(DicomTag.PROTOCOL_NAME)).isEqualTo("t1_fl2d_sag");
    assertThat(data.string(DicomTag.SCANNING_SEQUENCE)).isEqualTo("GR");
    assertThat(data.strings(DicomTag.SEQUENCE_VARIANT)).containsExactly("SP", "OSP");
    assertThat(data.string(DicomTag.SEQUENCE_NAME)).isEqualTo("*fl2d1");
    assertThat(data.string(DicomTag.MR_ACQUISITION_TYPE)).isEqualTo("2D");
    assertThat(data.string(DicomTag.BODY_PART_EXAMINED)).isEqualTo("BRAIN");
    assertThat(data.string(DicomTag.STUDY_DATE)).isEqualTo("20220407");
    assertThat(data.string(DicomTag.ACCESSION_NUMBER)).isNull();
    assertThat(data.strings(DicomTag.IMAGE_TYPE))
        .containsExactly("ORIGINAL", "PRIMARY", "M", "NORM", "DIS2D");
    assertThat(data.decimals(DicomTag.ECHO_TIME)).containsExactly(2.46);
    assertThat(data.decimals(DicomTag.REPETITION_TIME)).containsExactly(300.0);
    assertThat(data.decimals(DicomTag.SPACING_BETWEEN_SLICES)).containsExactly(4.8);
    assertThat(image.pixels())
        .isEqualTo(new PixelDescription(256, 256, 1, 16, 12, 11, false, false));
    FrameAttributes frame = image.frames().get(0).attributes();
    assertThat(frame.imagePositionPatient()).containsExactly(x, -130, 130);
    assertThat(frame.imageOrientationPatient()).containsExactly(0, 1, 0, 0, 0, -1);
    assertThat(frame.pixelSpacing()).containsExactly(1.015625, 1.015625);
    assertThat(frame.sliceThickness()).isEqualTo(4.0);
    assertThat(Stats.of(image)).isEqualTo(new Stats(0, max, sum, 0, centre, 0));
  }

  /** Enhanced MR: 6 frames whose geometry lives in the per-frame functional groups. */
  @ParameterizedTest
  @ValueSource(
      strings = {"enhanced_mr_6_1.dcm", "enhanced_mr_6_1_bigendian.dcm", "enhanced_mr_6_1_rle.dcm"})
  void enhancedMrExposesEachFramesFunctionalGroups(String file) throws Exception {
    DicomImage image = READER.read(DicomFiles.bytes(file));

    DataSet data = image.dataset();
    assertThat(data.string(DicomTag.SOP_CLASS_UID)).isEqualTo("1.2.840.10008.5.1.4.1.1.4.1");
    assertThat(data.string(DicomTag.SOP_INSTANCE_UID))
        .isEqualTo("1.3.12.2.1107.5.2.50.175689.2018102208363471148732837");
    assertThat(data.string(DicomTag.SERIES_DESCRIPTION)).isEqualTo("REST1 w SMS PF7-8");
    assertThat(image.pixels()).isEqualTo(new PixelDescription(64, 64, 6, 16, 12, 11, false, false));
    List<Frame> frames = image.frames();
    assertThat(frames).hasSize(6);
    FrameAttributes first = frames.get(0).attributes();
    FrameAttributes last = frames.get(5).attributes();
    assertThat(first.imagePositionPatient()).containsExactly(-109.79, -58.4773, -5.40356);
    assertThat(last.imagePositionPatient()).containsExactly(-109.79, -58.4774, 6.59644);
    assertThat(first.imageOrientationPatient()).containsExactly(1, -5e-13, 1e-06, -5e-13, 1, 1e-06);
    assertThat(first.pixelSpacing()).containsExactly(3.375, 3.375);
    assertThat(first.sliceThickness()).isEqualTo(2.4);
    assertThat(first.spacingBetweenSlices()).isEqualTo(2.4);
    assertThat(first.rescaleSlope()).isEqualTo(1);
    assertThat(first.rescaleIntercept()).isEqualTo(0);
    assertThat(first.inStackPositionNumber()).isEqualTo(1);
    assertThat(last.inStackPositionNumber()).isEqualTo(6);
    assertThat(last.temporalPositionIndex()).isEqualTo(1);
    assertThat(last.dimensionIndexValues()).containsExactly(1, 6, 1);
    assertThat(Stats.of(image)).isEqualTo(new Stats(0, 1199, 2516181, 0, 125, 7));
    double[] frameSums = {431226, 413477, 408662, 414517, 415489, 432810};
    for (int i = 0; i < 6; i++) {
      double sum = 0;
      for (float v : frames.get(i).values()) {
        sum += v;
      }
      assertThat(sum).as("frame %d", i + 1).isCloseTo(frameSums[i], within(0.0));
    }
    assertThat(frames.get(5).values()[32 * 64 + 32]).isEqualTo(732f);
  }

  /** Pixels refused, but the data set of a refused syntax is still readable. */
  @ParameterizedTest
  @CsvSource({
    "MR_small_jpeg_ls_lossless.dcm, JPEG_LS_UNSUPPORTED, 1.2.840.10008.1.2.4.80",
    "MR_small_jp2klossless.dcm, JPEG_2000_UNSUPPORTED, 1.2.840.10008.1.2.4.90",
    "JPGExtended.dcm, JPEG_LOSSY_UNSUPPORTED, 1.2.840.10008.1.2.4.51"
  })
  void compressedSyntaxesAreRefusedByName(String file, ReasonCode reason, String uid)
      throws Exception {
    byte[] bytes = DicomFiles.bytes(file);

    DicomException e = catchThrowableOfType(DicomException.class, () -> READER.read(bytes));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.field()).isEqualTo("TransferSyntaxUID (0002,0010)");
    assertThat(e.getMessage()).contains(uid).contains(TransferSyntax.of(uid).name());
    DicomFile read = READER.readFile(bytes);
    assertThat(read.dataset().get(DicomTag.PIXEL_DATA).encapsulated()).isTrue();
    assertThat(read.dataset().integer(DicomTag.ROWS)).isPositive();
  }
}
