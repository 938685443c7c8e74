package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Series assembly against real series (see {@code files/ATTRIBUTION.md}). Expected positions,
 * spacings and per-slice pixel sums come from the files themselves read by another tool: a Python
 * scan of the raw elements with numpy (positions along the normal, {@code numpy.cross} of the
 * orientation), whose sums for {@code sag_t1_0001/0002} agree with pydicom's in {@link
 * DicomReferenceFilesTest}; never from this reader.
 */
class SeriesAssemblerTest {
  private static final DicomReader READER = new DicomReader();
  private static final SeriesAssembler ASSEMBLER = new SeriesAssembler();

  /** Pixel sums of sag_t1_0001 … sag_t1_0008 (instance numbers 1 … 8; x = -81.6 + 4.8 (n-1)). */
  private static final long[] SAG_SUMS = {
    471485, 1303753, 4464652, 8180166, 10196365, 12388169, 13712648, 15357524
  };

  static MrInstance instance(String file) throws Exception {
    return MrInstance.read(READER, DicomFiles.bytes(file));
  }

  static List<MrInstance> sagittal(int... numbers) throws Exception {
    List<MrInstance> out = new ArrayList<>();
    for (int n : numbers) {
      out.add(instance("sag_t1_000" + n + ".dcm"));
    }
    return out;
  }

  @Test
  void realSagittalSeriesBecomesAVolumeSortedAlongTheNormal() throws Exception {
    List<MrInstance> instances = sagittal(1, 2, 3, 4, 5, 6, 7, 8);
    Collections.shuffle(instances, new Random(7)); // arrival order must not matter

    DicomVolume volume = ASSEMBLER.assemble(instances);

    assertThat(volume.seriesInstanceUid())
        .isEqualTo("1.3.12.2.1107.5.2.43.67060.2022040715044210837860713.0.0.0");
    assertThat(volume.instances()).isEqualTo(8);
    assertThat(volume.plane()).isEqualTo(DicomVolume.Plane.SAGITTAL);
    ImageGeometry g = volume.image().geometry();
    assertThat(g.size()).containsExactly(256, 256, 8);
    // Spacing along the normal from the positions (4.8 mm), not Slice Thickness (4 mm).
    assertThat(g.spacing()).containsExactly(new double[] {1.015625, 1.015625, 4.8}, within(1e-5));
    // IOP 0\1\0\0\0\-1: normal (row × column) = (-1, 0, 0); ascending projection = descending x.
    assertThat(g.origin()).containsExactly(new double[] {-48, -130, 130}, within(1e-9));
    assertThat(g.direction())
        .containsExactly(new double[] {0, 0, -1, 1, 0, 0, 0, -1, 0}, within(1e-12));
    assertThat(volume.image().type()).isEqualTo(ElementType.SHORT);
    for (int z = 0; z < 8; z++) {
      assertThat(sliceSum(volume.image(), z)).as("slice %d", z).isEqualTo(SAG_SUMS[7 - z]);
    }
  }

  @Test
  void voxelsAreTheReadersFramesUnchanged() throws Exception {
    DicomVolume volume = ASSEMBLER.assemble(sagittal(3, 4, 5));
    float[] reader = instance("sag_t1_0004.dcm").image().frames().get(0).values();
    Image image = volume.image();
    for (int i = 0; i < reader.length; i++) {
      assertThat(image.voxel(256L * 256 + i)).isEqualTo(reader[i]);
    }
  }

  @Test
  void aMissingSliceIsNamedByItsPosition() throws Exception {
    SeriesException e =
        catchThrowableOfType(
            SeriesException.class, () -> ASSEMBLER.assemble(sagittal(1, 2, 3, 5, 6, 7)));

    assertThat(e.reason()).isEqualTo(SeriesReason.SERIES_MISSING_POSITION);
    assertThat(e.field()).isEqualTo("ImagePositionPatient (0020,0032)");
    assertThat(e.getMessage()).contains("1 slice(s) missing", "(-67.200, -130.000, 130.000)");
  }

  @Test
  void aDuplicatedSliceIsNamed() throws Exception {
    SeriesException e =
        catchThrowableOfType(SeriesException.class, () -> ASSEMBLER.assemble(sagittal(1, 2, 2, 3)));

    assertThat(e.reason()).isEqualTo(SeriesReason.SERIES_DUPLICATE_POSITION);
    assertThat(e.getMessage())
        .contains("instance 2 and instance 2", "(-76.800, -130.000, 130.000)");
  }

  @Test
  void instancesOfTwoSeriesAreRefused() throws Exception {
    List<MrInstance> mixed = sagittal(1, 2);
    mixed.add(instance("adc_axial_0001.dcm"));

    SeriesException e =
        catchThrowableOfType(SeriesException.class, () -> ASSEMBLER.assemble(mixed));

    assertThat(e.reason()).isEqualTo(SeriesReason.SERIES_MIXED);
  }

  /** GE oblique axial (~10° tilt): the full orientation, not an axis, gives normal and spacing. */
  @Test
  void obliqueAxialSeriesUsesTheFullOrientation() throws Exception {
    List<MrInstance> instances = new ArrayList<>();
    for (int n = 4; n >= 1; n--) {
      instances.add(instance("adc_axial_000" + n + ".dcm"));
    }

    DicomVolume volume = ASSEMBLER.assemble(instances);

    ImageGeometry g = volume.image().geometry();
    assertThat(volume.plane()).isEqualTo(DicomVolume.Plane.AXIAL);
    assertThat(g.size()).containsExactly(256, 256, 4);
    // numpy: gaps along the normal 2.999901, 2.999977, 3.000075; the median is the spacing.
    assertThat(g.spacing()).containsExactly(new double[] {0.7031, 0.7031, 2.999977}, within(1e-5));
    assertThat(g.origin()).containsExactly(-90.0225, -108.462, -43.9748);
    // numpy.cross(row, column), normalised: the third column of the direction matrix.
    assertThat(new double[] {g.direction(0, 2), g.direction(1, 2), g.direction(2, 2)})
        .containsExactly(new double[] {-0.00298377, -0.1738787, 0.98476256}, within(1e-6));
    assertThat(sliceSum(volume.image(), 0)).isEqualTo(29892796);
    assertThat(sliceSum(volume.image(), 3)).isEqualTo(31316299);
  }

  /** Enhanced MR: the frames of one instance are the slices, placed by per-frame groups. */
  @Test
  void enhancedMrFramesBecomeSlices() throws Exception {
    DicomVolume volume = ASSEMBLER.assemble(List.of(instance("enhanced_mr_6_1.dcm")));

    ImageGeometry g = volume.image().geometry();
    assertThat(volume.instances()).isEqualTo(1);
    assertThat(g.size()).containsExactly(64, 64, 6);
    assertThat(g.spacing()).containsExactly(new double[] {3.375, 3.375, 2.4}, within(1e-4));
    assertThat(g.origin())
        .containsExactly(new double[] {-109.79, -58.4773, -5.40356}, within(1e-9));
  }

  /** The four instances of dcm_qa_enh's SMS series repeat the same 6 positions: not one volume. */
  @Test
  void enhancedMrFramesAtTheSamePositionsAreDuplicates() throws Exception {
    MrInstance once = instance("enhanced_mr_6_1.dcm");
    MrInstance again = instance("enhanced_mr_6_1_rle.dcm");

    SeriesException e =
        catchThrowableOfType(SeriesException.class, () -> ASSEMBLER.assemble(List.of(once, again)));

    assertThat(e.reason()).isEqualTo(SeriesReason.SERIES_DUPLICATE_POSITION);
    assertThat(e.getMessage()).contains("6 duplicated position(s)", "frame 1 of instance");
  }

  static long sliceSum(Image image, int z) {
    int[] size = image.geometry().size();
    long per = (long) size[0] * size[1];
    long sum = 0;
    for (long i = z * per; i < (z + 1) * per; i++) {
      sum += (long) image.voxel(i);
    }
    return sum;
  }
}
