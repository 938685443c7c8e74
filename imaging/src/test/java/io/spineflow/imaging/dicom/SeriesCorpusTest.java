package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances and series that cannot become a volume, each refused with its {@link SeriesReason} and
 * the attribute at fault. Synthetic sagittal slices (4 × 3 pixels, 1 mm apart) changed one
 * attribute at a time, plus a real CT file for the SOP class.
 */
class SeriesCorpusTest {
  private static final DicomReader READER = new DicomReader();
  private static final String SERIES = "1.2.826.0.1.3680043.2.1125.1";

  record Case(String name, SeriesReason reason, String field, String mentions, Attempt attempt) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Attempt {
    void run() throws Exception;
  }

  /** Sagittal slice n (x = n mm), instance number n. */
  static DicomBuilder slice(int n) {
    return DicomBuilder.image()
        .text(DicomTag.SOP_INSTANCE_UID, "UI", SERIES + ".9." + n)
        .text(DicomTag.SERIES_INSTANCE_UID, "UI", SERIES)
        .text(DicomTag.INSTANCE_NUMBER, "IS", Integer.toString(n))
        .text(DicomTag.IMAGE_POSITION_PATIENT, "DS", n + "\\-100\\100")
        .text(DicomTag.IMAGE_ORIENTATION_PATIENT, "DS", "0\\1\\0\\0\\0\\-1")
        .text(DicomTag.PIXEL_SPACING, "DS", "0.5\\0.5");
  }

  /** Slices 1..5 with {@code change} applied to slice 3. */
  static List<MrInstance> seriesWith(UnaryOperator<DicomBuilder> change) throws Exception {
    List<MrInstance> out = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      DicomBuilder b = slice(n);
      out.add(MrInstance.read(READER, (n == 3 ? change.apply(b) : b).build()));
    }
    return out;
  }

  static Case series(
      String name,
      SeriesReason reason,
      String field,
      String mentions,
      UnaryOperator<DicomBuilder> change) {
    return new Case(
        name, reason, field, mentions, () -> new SeriesAssembler().assemble(seriesWith(change)));
  }

  static Case instance(
      String name, SeriesReason reason, String field, String mentions, byte[] bytes) {
    return new Case(name, reason, field, mentions, () -> MrInstance.read(READER, bytes));
  }

  static Stream<Case> corpus() {
    String ipp = "ImagePositionPatient (0020,0032)";
    return Stream.of(
        instance(
            "real CT image",
            SeriesReason.UNSUPPORTED_SOP_CLASS,
            "SOPClassUID (0008,0016)",
            "1.2.840.10008.5.1.4.1.1.2",
            DicomFiles.bytes("CT_small.dcm")),
        instance(
            "secondary capture",
            SeriesReason.UNSUPPORTED_SOP_CLASS,
            "SOPClassUID (0008,0016)",
            "Enhanced MR Image Storage",
            slice(1).text(DicomTag.SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.7").build()),
        instance(
            "no series UID",
            SeriesReason.MISSING_ATTRIBUTE,
            "SeriesInstanceUID (0020,000E)",
            "absent",
            slice(1).without(DicomTag.SERIES_INSTANCE_UID).build()),
        instance(
            "series UID with letters",
            SeriesReason.INVALID_UID,
            "SeriesInstanceUID (0020,000E)",
            "not a UID",
            slice(1).text(DicomTag.SERIES_INSTANCE_UID, "UI", "1.2.abc").build()),
        instance(
            "series UID of 65 characters",
            SeriesReason.INVALID_UID,
            "SeriesInstanceUID (0020,000E)",
            "1-64 characters",
            slice(1).text(DicomTag.SERIES_INSTANCE_UID, "UI", "1." + "2".repeat(63)).build()),
        instance(
            "no SOP instance UID",
            SeriesReason.MISSING_ATTRIBUTE,
            "SOPInstanceUID (0008,0018)",
            "absent",
            slice(1).without(DicomTag.SOP_INSTANCE_UID).build()),
        instance(
            "no position",
            SeriesReason.MISSING_ATTRIBUTE,
            ipp,
            "cannot be placed",
            slice(1).without(DicomTag.IMAGE_POSITION_PATIENT).build()),
        instance(
            "no orientation",
            SeriesReason.MISSING_ATTRIBUTE,
            "ImageOrientationPatient (0020,0037)",
            "absent",
            slice(1).without(DicomTag.IMAGE_ORIENTATION_PATIENT).build()),
        instance(
            "no pixel spacing",
            SeriesReason.MISSING_ATTRIBUTE,
            "PixelSpacing (0028,0030)",
            "absent",
            slice(1).without(DicomTag.PIXEL_SPACING).build()),
        instance(
            "orientation not orthogonal",
            SeriesReason.SERIES_INCONSISTENT_ORIENTATION,
            "ImageOrientationPatient (0020,0037)",
            "orthogonal unit vectors",
            slice(1).text(DicomTag.IMAGE_ORIENTATION_PATIENT, "DS", "0\\1\\0\\0\\1\\0").build()),
        instance(
            "zero pixel spacing",
            SeriesReason.SERIES_INCONSISTENT_SPACING,
            "PixelSpacing (0028,0030)",
            "not in (0, 1000]",
            slice(1).text(DicomTag.PIXEL_SPACING, "DS", "0\\0.5").build()),
        series(
            "one slice of another size",
            SeriesReason.SERIES_INCONSISTENT_SIZE,
            "Rows (0028,0010)",
            "instance 3",
            b ->
                b.us(DicomTag.ROWS, 2)
                    .set(
                        DicomTag.PIXEL_DATA.tag(),
                        DicomBuilder.element(DicomTag.PIXEL_DATA.tag(), "OW", new byte[16]))),
        series(
            "one slice tilted",
            SeriesReason.SERIES_INCONSISTENT_ORIENTATION,
            "ImageOrientationPatient (0020,0037)",
            "instance 3",
            b ->
                b.text(
                    DicomTag.IMAGE_ORIENTATION_PATIENT,
                    "DS",
                    "0\\0.995037\\0.0995037\\0\\0.0995037\\-0.995037")),
        series(
            "one slice with other pixel spacing",
            SeriesReason.SERIES_INCONSISTENT_SPACING,
            "PixelSpacing (0028,0030)",
            "instance 3",
            b -> b.text(DicomTag.PIXEL_SPACING, "DS", "0.6\\0.6")),
        series(
            "one slice shifted along the normal",
            SeriesReason.SERIES_INCONSISTENT_SPACING,
            ipp,
            "between instance",
            b -> b.text(DicomTag.IMAGE_POSITION_PATIENT, "DS", "3.4\\-100\\100")),
        series(
            "one slice shifted in its plane",
            SeriesReason.SERIES_POSITIONS_OFF_AXIS,
            ipp,
            "instance 3",
            b -> b.text(DicomTag.IMAGE_POSITION_PATIENT, "DS", "3\\-90\\100")),
        series(
            "two slices at one position",
            SeriesReason.SERIES_DUPLICATE_POSITION,
            ipp,
            "(2.000, -100.000, 100.000)",
            b -> b.text(DicomTag.IMAGE_POSITION_PATIENT, "DS", "2\\-100\\100")),
        series(
            "a slice moved out leaves a gap",
            SeriesReason.SERIES_DUPLICATE_POSITION,
            ipp,
            "duplicated",
            b -> b.text(DicomTag.IMAGE_POSITION_PATIENT, "DS", "4\\-100\\100")),
        new Case(
            "slices 1, 2, 5: two missing",
            SeriesReason.SERIES_MISSING_POSITION,
            ipp,
            "(4.000, -100.000, 100.000); (3.000, -100.000, 100.000)",
            () -> {
              List<MrInstance> three = new ArrayList<>();
              for (int n : new int[] {1, 2, 5, 6}) {
                three.add(MrInstance.read(READER, slice(n).build()));
              }
              new SeriesAssembler().assemble(three);
            }),
        new Case(
            "another series",
            SeriesReason.SERIES_MIXED,
            "SeriesInstanceUID (0020,000E)",
            SERIES + ".2",
            () ->
                new SeriesAssembler()
                    .assemble(
                        List.of(
                            MrInstance.read(READER, slice(1).build()),
                            MrInstance.read(
                                READER,
                                slice(2)
                                    .text(DicomTag.SERIES_INSTANCE_UID, "UI", SERIES + ".2")
                                    .build())))),
        new Case(
            "no instance",
            SeriesReason.SERIES_TOO_FEW_SLICES,
            null,
            "no instance",
            () -> new SeriesAssembler().assemble(List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void refusedWithReasonAndField(Case c) {
    SeriesException e = catchThrowableOfType(SeriesException.class, () -> c.attempt().run());

    assertThat(e).as("%s must be refused", c.name()).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason());
    assertThat(e.field()).as(e.getMessage()).isEqualTo(c.field());
    assertThat(e.getMessage()).contains(c.mentions());
  }

  @Test
  void theBaseSeriesIsValid() throws Exception {
    DicomVolume volume = new SeriesAssembler().assemble(seriesWith(b -> b));

    assertThat(volume.image().geometry().size()).containsExactly(4, 3, 5);
    assertThat(volume.image().geometry().spacing()).containsExactly(0.5, 0.5, 1.0);
    assertThat(volume.plane()).isEqualTo(DicomVolume.Plane.SAGITTAL);
  }

  @Test
  void corpusCoversEveryReasonButTheSizeLimit() {
    assertThat(corpus().map(Case::reason).distinct())
        .containsExactlyInAnyOrder(
            Stream.of(SeriesReason.values())
                .filter(r -> r != SeriesReason.SERIES_TOO_LARGE)
                .toArray(SeriesReason[]::new));
  }
}
