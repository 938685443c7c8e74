package io.spineflow.imaging.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.imaging.volume.LabelVolumeException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The geometry of putting masks back: exact voxel-for-pixel placement whatever the sagittal axis,
 * direction cosines, spacing and origin; coarser masks by nearest pixel; off-grid voxels as
 * background; unsegmented slices as {@link LabelValues#NOT_SEGMENTED}; volumes from the spacing;
 * and each refusal naming its field. The geometry is read with {@link Interpolation#NEAREST}, which
 * gives each voxel exactly its pixel's class; the other interpolations are {@code
 * InterpolationTest}'s.
 */
class LabelVolumeAssemblerTest {
  private static final int[] SIZE = {7, 9, 11};

  /** A rotation by 20° about (1, 2, 3)/|.|: no direction column is an LPS axis. */
  private static final double[] OBLIQUE = rotation(new double[] {1, 2, 3}, Math.toRadians(20));

  private static ImageGeometry oblique() {
    return new ImageGeometry(
        SIZE, new double[] {0.7, 1.3, 3.5}, new double[] {-40.5, 12.25, 88}, OBLIQUE);
  }

  @Test
  void anAffineThroughThePhysicalOriginStillInverts() {
    // Slice 0 of a zero-origin identity grid: pixelToPhysical's third column is (0, 0, 0), so the
    // 3x3 matrix is singular; the plane inverse does not care.
    ImageGeometry geometry = ImageGeometry.of(SIZE);
    SliceMask mask = oneToOne(geometry, 0, 0, randomClasses(SIZE[1] * SIZE[2], 1));
    assertThat(determinant(mask.pixelToPhysical())).isZero();
    LabelVolume volume =
        LabelVolumeAssembler.assemble(geometry, List.of(mask), Interpolation.NEAREST);
    for (int k = 0; k < SIZE[2]; k++) {
      for (int j = 0; j < SIZE[1]; j++) {
        assertThat(volume.value(0, j, k))
            .isEqualTo(LabelValues.ofClassId(mask.classAt(SIZE[2] - 1 - k, j)));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void everyVoxelTakesItsPixelWhateverTheSagittalAxisOnAnObliqueGrid(int axis) {
    ImageGeometry geometry = oblique();
    int[] uv = inPlane(axis);
    List<SliceMask> masks = new ArrayList<>();
    for (int index = 0; index < SIZE[axis]; index += 2) {
      masks.add(oneToOne(geometry, axis, index, randomClasses(SIZE[uv[0]] * SIZE[uv[1]], index)));
    }
    LabelVolume volume = LabelVolumeAssembler.assemble(geometry, masks, Interpolation.NEAREST);

    assertThat(volume.sagittalAxis()).isEqualTo(axis);
    assertThat(volume.image().geometry()).isEqualTo(geometry);
    int checked = 0;
    for (SliceMask mask : masks) {
      for (int a = 0; a < SIZE[uv[0]]; a++) {
        for (int b = 0; b < SIZE[uv[1]]; b++) {
          int[] voxel = new int[3];
          voxel[axis] = mask.sourceSliceIndex();
          voxel[uv[0]] = a;
          voxel[uv[1]] = b;
          // oneToOne: columns run along the second in-plane axis, flipped; rows along the first.
          int expected = mask.classAt(SIZE[uv[1]] - 1 - b, a);
          assertThat(volume.value(voxel[0], voxel[1], voxel[2]))
              .as("voxel %d,%d,%d", voxel[0], voxel[1], voxel[2])
              .isEqualTo(LabelValues.ofClassId(expected));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(masks.size() * SIZE[uv[0]] * SIZE[uv[1]]);
  }

  @Test
  void aCoarserMaskIsReadByNearestPixel() {
    // Mask pixel (c, r) covers voxels 2c, 2c+1 along axis 1 and 2r, 2r+1 along axis 2 (its centre
    // sits between them), the way preprocess downsamples a fine slice.
    ImageGeometry geometry = oblique();
    int width = (SIZE[1] + 1) / 2;
    int height = (SIZE[2] + 1) / 2;
    byte[] classes = randomClasses(width * height, 7);
    double[] p = LabelVolumeAssembler.physical(geometry, new int[] {3, 0, 0});
    double[] e1 = step(geometry, 1, 2);
    double[] e2 = step(geometry, 2, 2);
    double[] m = new double[9];
    for (int i = 0; i < 3; i++) {
      m[3 * i] = e1[i];
      m[3 * i + 1] = e2[i];
      m[3 * i + 2] = p[i] + 0.25 * e1[i] + 0.25 * e2[i];
    }
    SliceMask mask = new SliceMask(3, 0, width, height, m, classes);
    LabelVolume volume =
        LabelVolumeAssembler.assemble(geometry, List.of(mask), Interpolation.NEAREST);
    for (int k = 0; k < SIZE[2]; k++) {
      for (int j = 0; j < SIZE[1]; j++) {
        assertThat(volume.value(3, j, k))
            .as("voxel 3,%d,%d", j, k)
            .isEqualTo(LabelValues.ofClassId(mask.classAt(j / 2, k / 2)));
      }
    }
  }

  @Test
  void voxelsOffTheMaskGridAreBackgroundNotUnsegmented() {
    ImageGeometry geometry = oblique();
    byte[] classes = new byte[3 * 2];
    java.util.Arrays.fill(classes, (byte) SpineClass.DISCS.id());
    // A 3 x 2 mask on voxels (j 0..2, k 0..1) of slice 4.
    SliceMask mask = new SliceMask(4, 0, 3, 2, affine(geometry, 0, 4), classes);
    LabelVolume volume =
        LabelVolumeAssembler.assemble(geometry, List.of(mask), Interpolation.NEAREST);
    for (int k = 0; k < SIZE[2]; k++) {
      for (int j = 0; j < SIZE[1]; j++) {
        int expected = j < 3 && k < 2 ? LabelValues.DISCS : LabelValues.BACKGROUND;
        assertThat(volume.value(4, j, k)).as("voxel 4,%d,%d", j, k).isEqualTo(expected);
      }
    }
  }

  @Test
  void slicesWithoutAMaskAreNotSegmentedEvenNextToAnEmptyMask() {
    ImageGeometry geometry = oblique();
    SliceMask empty = oneToOne(geometry, 0, 2, new byte[SIZE[1] * SIZE[2]]);
    LabelVolume volume =
        LabelVolumeAssembler.assemble(geometry, List.of(empty), Interpolation.NEAREST);
    assertThat(volume.segmentedSlices()).containsExactly(2);
    for (int i = 0; i < SIZE[0]; i++) {
      int expected = i == 2 ? LabelValues.BACKGROUND : LabelValues.NOT_SEGMENTED;
      for (int k = 0; k < SIZE[2]; k++) {
        for (int j = 0; j < SIZE[1]; j++) {
          assertThat(volume.value(i, j, k)).isEqualTo(expected);
        }
      }
    }
    assertThat(volume.image().type()).isEqualTo(LabelValues.TYPE);
  }

  @Test
  void noMaskAtAllLeavesTheWholeStudyNotSegmented() {
    LabelVolume volume = LabelVolumeAssembler.assemble(oblique(), List.of());
    assertThat(volume.sagittalAxis()).isEqualTo(-1);
    assertThat(volume.segmentedSlices()).isEmpty();
    for (long v = 0; v < volume.image().voxelCount(); v++) {
      assertThat(volume.image().voxel(v)).isEqualTo(LabelValues.NOT_SEGMENTED);
    }
    assertThat(volume.millilitres(SpineClass.DISCS)).isZero();
  }

  @Test
  void theVolumeSurvivesAMetaImageRoundTripWithItsGeometryAndValues() throws Exception {
    ImageGeometry geometry = oblique();
    SliceMask mask = oneToOne(geometry, 0, 3, randomClasses(SIZE[1] * SIZE[2], 3));
    LabelVolume volume =
        LabelVolumeAssembler.assemble(geometry, List.of(mask), Interpolation.NEAREST);
    io.spineflow.imaging.Image read =
        new io.spineflow.imaging.metaimage.MetaImageReader()
            .read(
                io.spineflow.imaging.metaimage.MetaImageWriter.toMhaBytes(
                    volume.image(),
                    io.spineflow.imaging.metaimage.MetaImageWriter.Compression.ZLIB))
            .image();
    assertThat(read.type()).isEqualTo(LabelValues.TYPE);
    assertThat(read.geometry().sameGrid(geometry, 1e-9)).isTrue();
    assertThat(read.data()).isEqualTo(volume.image().data());
    assertThat(read.voxel(0)).isEqualTo(LabelValues.NOT_SEGMENTED);
  }

  @Test
  void classVolumesAreVoxelCountsTimesTheVoxelVolume() {
    ImageGeometry geometry = oblique(); // 0.7 x 1.3 x 3.5 mm = 3.185 mm^3 per voxel
    byte[] classes = new byte[SIZE[1] * SIZE[2]];
    for (int p = 0; p < 10; p++) {
      classes[p] = (byte) SpineClass.VERTEBRAE.id();
    }
    for (int p = 10; p < 14; p++) {
      classes[p] = (byte) SpineClass.SPINAL_CANAL.id();
    }
    classes[20] = (byte) SpineClass.DISCS.id();
    List<SliceMask> masks =
        List.of(oneToOne(geometry, 0, 1, classes), oneToOne(geometry, 0, 5, classes));
    LabelVolume volume = LabelVolumeAssembler.assemble(geometry, masks, Interpolation.NEAREST);
    assertThat(volume.classVolume(SpineClass.VERTEBRAE).voxels()).isEqualTo(20);
    assertThat(volume.millilitres(SpineClass.VERTEBRAE)).isCloseTo(20 * 3.185e-3, within());
    assertThat(volume.millilitres(SpineClass.SPINAL_CANAL)).isCloseTo(8 * 3.185e-3, within());
    assertThat(volume.millilitres(SpineClass.DISCS)).isCloseTo(2 * 3.185e-3, within());
    assertThat(volume.classVolume(SpineClass.DISCS).value()).isEqualTo(LabelValues.DISCS);
  }

  @Test
  void aMaskOnAnotherSliceThanItNamesIsRefused() {
    ImageGeometry geometry = oblique();
    SliceMask onSlice2 = oneToOne(geometry, 0, 2, new byte[SIZE[1] * SIZE[2]]);
    SliceMask claims3 =
        new SliceMask(
            3,
            0,
            onSlice2.width(),
            onSlice2.height(),
            onSlice2.pixelToPhysical(),
            new byte[SIZE[1] * SIZE[2]]);
    assertRefused(geometry, List.of(claims3), Reason.PLANE_MISMATCH, "mask[0].pixelToPhysical");
  }

  @Test
  void aMaskAcrossTheWrongAxisIsRefused() {
    ImageGeometry geometry = oblique();
    SliceMask axis1 = oneToOne(geometry, 1, 2, new byte[SIZE[0] * SIZE[2]]);
    SliceMask claimsAxis0 =
        new SliceMask(
            2, 0, axis1.width(), axis1.height(), axis1.pixelToPhysical(), axis1.classes());
    assertRefused(geometry, List.of(claimsAxis0), Reason.PLANE_MISMATCH, "mask[0].pixelToPhysical");
  }

  @Test
  void slicesOutsideTheStudyDuplicatesAndMixedAxesAreRefused() {
    ImageGeometry geometry = oblique();
    byte[] classes = new byte[SIZE[1] * SIZE[2]];
    SliceMask slice1 = oneToOne(geometry, 0, 1, classes);
    SliceMask beyond =
        new SliceMask(
            SIZE[0], 0, slice1.width(), slice1.height(), slice1.pixelToPhysical(), classes);
    assertRefused(geometry, List.of(beyond), Reason.SLICE_OUT_OF_STUDY, "mask[0].sourceSliceIndex");
    assertRefused(
        geometry, List.of(slice1, slice1), Reason.DUPLICATE_SLICE, "mask[1].sourceSliceIndex");
    SliceMask otherAxis = oneToOne(geometry, 2, 1, new byte[SIZE[0] * SIZE[1]]);
    assertRefused(
        geometry, List.of(slice1, otherAxis), Reason.SLICE_OUT_OF_STUDY, "mask[1].sagittalAxis");
    assertRefused(ImageGeometry.of(4, 4), List.of(), Reason.NOT_A_VOLUME, "geometry.size");
  }

  @Test
  void inconsistentMasksAreRefusedNamingTheField() {
    double[] m = affine(oblique(), 0, 1);
    assertThatThrownBy(() -> new SliceMask(1, 0, 2, 2, m, new byte[3]))
        .isInstanceOfSatisfying(
            LabelVolumeException.class, e -> assertThat(e.field()).isEqualTo("classes"));
    assertThatThrownBy(() -> new SliceMask(1, 0, 1, 1, m, new byte[] {4}))
        .isInstanceOfSatisfying(
            LabelVolumeException.class, e -> assertThat(e.field()).isEqualTo("classes[0]"));
    double[] nan = m.clone();
    nan[4] = Double.NaN;
    assertThatThrownBy(() -> new SliceMask(1, 0, 1, 1, nan, new byte[1]))
        .isInstanceOfSatisfying(
            LabelVolumeException.class, e -> assertThat(e.field()).isEqualTo("pixelToPhysical"));
    double[] parallel = m.clone();
    parallel[1] = 2 * m[0];
    parallel[4] = 2 * m[3];
    parallel[7] = 2 * m[6];
    assertRefused(
        oblique(),
        List.of(new SliceMask(1, 0, 1, 1, parallel, new byte[1])),
        Reason.INVALID_MASK,
        "mask[0].pixelToPhysical");
  }

  // --- helpers ---

  private static void assertRefused(
      ImageGeometry geometry, List<SliceMask> masks, Reason reason, String field) {
    assertThatThrownBy(() -> LabelVolumeAssembler.assemble(geometry, masks))
        .isInstanceOfSatisfying(
            LabelVolumeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.limit()).isNotBlank();
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }

  /** The two in-plane array axes of sagittal axis {@code s}, ascending. */
  private static int[] inPlane(int s) {
    return new int[] {s == 0 ? 1 : 0, s == 2 ? 1 : 2};
  }

  /**
   * A full-size mask of slice {@code index}, one pixel per voxel, laid out as preprocess lays a
   * transposed and flipped slice: column c = voxel (size[v] - 1 - c) along the second in-plane axis
   * v, row r = voxel r along the first in-plane axis u.
   */
  private static SliceMask oneToOne(ImageGeometry geometry, int s, int index, byte[] classes) {
    int[] uv = inPlane(s);
    int[] corner = new int[3];
    corner[s] = index;
    corner[uv[1]] = SIZE[uv[1]] - 1;
    double[] p = LabelVolumeAssembler.physical(geometry, corner);
    double[] column = step(geometry, uv[1], -1);
    double[] row = step(geometry, uv[0], 1);
    double[] m = new double[9];
    for (int i = 0; i < 3; i++) {
      m[3 * i] = column[i];
      m[3 * i + 1] = row[i];
      m[3 * i + 2] = p[i];
    }
    return new SliceMask(index, s, SIZE[uv[1]], SIZE[uv[0]], m, classes);
  }

  /** Columns along axis u, rows along v, pixel (0, 0) on voxel (0, 0) of the slice. */
  private static double[] affine(ImageGeometry geometry, int s, int index) {
    int[] uv = inPlane(s);
    int[] corner = new int[3];
    corner[s] = index;
    double[] p = LabelVolumeAssembler.physical(geometry, corner);
    double[] column = step(geometry, uv[0], 1);
    double[] row = step(geometry, uv[1], 1);
    double[] m = new double[9];
    for (int i = 0; i < 3; i++) {
      m[3 * i] = column[i];
      m[3 * i + 1] = row[i];
      m[3 * i + 2] = p[i];
    }
    return m;
  }

  /** {@code voxels} voxel steps along array axis {@code axis}, in mm. */
  private static double[] step(ImageGeometry geometry, int axis, double voxels) {
    double d = geometry.spacing()[axis] * voxels;
    return new double[] {
      geometry.direction(0, axis) * d,
      geometry.direction(1, axis) * d,
      geometry.direction(2, axis) * d
    };
  }

  private static byte[] randomClasses(int n, long seed) {
    Random random = new Random(seed);
    byte[] classes = new byte[n];
    for (int i = 0; i < n; i++) {
      classes[i] = (byte) random.nextInt(SliceMask.CLASSES);
    }
    return classes;
  }

  private static double determinant(double[] m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7])
        - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }

  /** Row-major rotation matrix about {@code axis} by {@code angle} (Rodrigues). */
  private static double[] rotation(double[] axis, double angle) {
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double x = axis[0] / n;
    double y = axis[1] / n;
    double z = axis[2] / n;
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double t = 1 - c;
    return new double[] {
      t * x * x + c,
      t * x * y - s * z,
      t * x * z + s * y,
      t * x * y + s * z,
      t * y * y + c,
      t * y * z - s * x,
      t * x * z - s * y,
      t * y * z + s * x,
      t * z * z + c
    };
  }
}
