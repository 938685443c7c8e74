package io.spineflow.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.Segmentation;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.volume.LabelValues;
import io.spineflow.platform.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyResultWriterTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  private static RevisionInputs inputs(boolean dicom) {
    List<RevisionInputs.SliceInputs> slices = new ArrayList<>();
    for (int k : List.of(1, 2, 3)) {
      Instant produced = T0.plusSeconds(k);
      slices.add(
          new RevisionInputs.SliceInputs(
              Fixtures.slice("u", k, T0),
              Fixtures.mask("u", k, T0, 1, produced),
              Fixtures.quality("u", k, 1, produced, null)));
    }
    return new RevisionInputs(
        Fixtures.study("u", T0, "aa", dicom), Fixtures.summary("u", T0, List.of(1, 2, 3)), slices);
  }

  @Test
  void aRetryWritesTheSameBlobsAndUids() {
    try (FileBlobStore blobs = new FileBlobStore(dir, 1 << 24)) {
      blobs.put(Fixtures.patientAndStudy());
      StudyResultWriter writer = new StudyResultWriter(blobs);
      for (boolean dicom : List.of(true, false)) {
        Segmentation first = writer.write(inputs(dicom), (n, v) -> null, T0.plusSeconds(60));
        Segmentation retry = writer.write(inputs(dicom), (n, v) -> null, T0.plusSeconds(90));
        assertThat(retry.getLabelVolume()).isEqualTo(first.getLabelVolume());
        assertThat(retry.getDicomSegmentation()).isEqualTo(first.getDicomSegmentation());
        assertThat(retry.getLevels()).isEqualTo(first.getLevels());
      }
    }
  }

  @Test
  void aPermutedLabelKeepsEveryVoxelAtItsPhysicalPoint() {
    ImageGeometry g =
        new ImageGeometry(
            new int[] {3, 4, 5},
            new double[] {1, 2, 3},
            new double[] {5, 6, 7},
            new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0});
    double[] values = new double[60];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    Image image = Image.fromDoubles(g, LabelValues.TYPE, values);
    for (int axis = 0; axis < 3; axis++) {
      Image permuted = DicomSegmentations.permuted(image, axis);
      ImageGeometry p = permuted.geometry();
      assertThat(p.size()[2]).isEqualTo(g.size()[axis]);
      for (int index = 0; index < 60; index++) {
        int[] at = {index % 3, (index / 3) % 4, index / 12};
        double[] point = point(g, at);
        int value = (int) image.voxel(index);
        int[] q = indexOf(p, point);
        long pIndex = q[0] + (long) p.size()[0] * (q[1] + (long) p.size()[1] * q[2]);
        assertThat((int) permuted.voxel(pIndex)).isEqualTo(value);
      }
    }
  }

  private static double[] point(ImageGeometry g, int[] index) {
    double[] p = g.origin().clone();
    for (int row = 0; row < 3; row++) {
      for (int a = 0; a < 3; a++) {
        p[row] += g.direction(row, a) * g.spacing()[a] * index[a];
      }
    }
    return p;
  }

  /** The index of a voxel centre (the direction is orthonormal: its transpose inverts it). */
  private static int[] indexOf(ImageGeometry g, double[] point) {
    int[] index = new int[3];
    for (int a = 0; a < 3; a++) {
      double along = 0;
      for (int row = 0; row < 3; row++) {
        along += g.direction(row, a) * (point[row] - g.origin()[row]);
      }
      index[a] = (int) Math.round(along / g.spacing()[a]);
    }
    return index;
  }
}
