package io.spineflow.results;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DicomSourceImage;
import io.spineflow.events.DicomSourceSeries;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.SegmentationSource;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.dicom.StudyAttributes;
import io.spineflow.imaging.volume.ClassVolume;
import io.spineflow.imaging.volume.LabelValues;
import io.spineflow.imaging.volume.LabelVolume;
import io.spineflow.platform.blob.BlobCorruptException;
import io.spineflow.platform.blob.BlobNotFoundException;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A study's label volume as a binary DICOM Segmentation ({@link SegmentationWriter}, {@code
 * CLASSES} labelling): of the DICOM series the study came from ({@code Study.dicomSource}), or of
 * the volume itself for a MetaImage study.
 *
 * <p>The writer takes slices along the label's third axis. A DICOM series is stacked along it, and
 * preprocess cuts a sagittal series across it; a MetaImage study may be sagittal along any axis, so
 * its label is permuted to put the sagittal axis third (the SEG carries the geometry, so the
 * permuted grid is the same voxels in space). A DICOM study cut across another axis would need
 * frames the source images do not have: skipped with its reason, the label volume still published.
 */
final class DicomSegmentations {
  /** Series Number of every Segmentation results writes (one per study revision and model). */
  static final int SERIES_NUMBER = 9001;

  private DicomSegmentations() {}

  /** The written SEG, or why there is none (nothing to write is not an error). */
  record Outcome(SegmentationWriter.Written written, String skipped) {}

  /**
   * @param algorithm the model(s) that made the masks
   * @param created Content and Instance Creation Date/Time: the same for every retry of a revision
   * @param blobs where the DICOM source's patient and study attributes are
   * @throws ResultRejectedException {@code SEGMENTATION_REFUSED} when the DICOM source is unusable
   *     or the writer refuses the label
   */
  static Outcome write(
      String studyUid,
      LabelVolume volume,
      DicomSourceSeries dicomSource,
      SegmentationWriter.Algorithm algorithm,
      Instant created,
      BlobStore blobs) {
    if (volume.segmentedSlices().isEmpty()) {
      return new Outcome(
          null, "NO_SLICE_SEGMENTED: preprocess emitted no slice of this study, nothing to write");
    }
    long labelled = volume.classVolumes().stream().mapToLong(ClassVolume::voxels).sum();
    if (labelled == 0) {
      return new Outcome(
          null,
          "NO_LABELLED_VOXEL: no voxel of the "
              + volume.segmentedSlices().size()
              + " segmented slices is vertebrae, canal or disc; a Segmentation needs a segment");
    }
    if (dicomSource != null && volume.sagittalAxis() != 2) {
      return new Outcome(
          null,
          "SAGITTAL_AXIS_NOT_SLICE_AXIS: the series' slices are along array axis 2, the study was"
              + " cut along axis "
              + volume.sagittalAxis()
              + "; its source images have no frame on those planes");
    }
    Image label = permuted(withoutSentinel(volume.image()), volume.sagittalAxis());
    BitSet segmented = new BitSet();
    volume.segmentedSlices().forEach(segmented::set);
    SegmentationSource source =
        dicomSource == null
            ? new SegmentationSource.Volume(studyUid, "")
            : series(dicomSource, label.geometry().size()[2], blobs);
    try {
      return new Outcome(
          SegmentationWriter.write(
              new SegmentationWriter.Request(
                  label,
                  segmented,
                  SegmentationWriter.Labelling.CLASSES,
                  algorithm,
                  source,
                  created,
                  SERIES_NUMBER)),
          null);
    } catch (DicomException e) {
      throw refused(e.field() == null ? "dicomSegmentation" : e.field(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw refused("labelVolume", e.getMessage());
    }
  }

  /** The DICOM source as the writer takes it: patientAndStudy parsed by the imaging reader. */
  static SegmentationSource.DicomSeries series(
      DicomSourceSeries source, int slices, BlobStore blobs) {
    if (source.getSlices().size() != slices) {
      throw new ResultRejectedException(
          "SEGMENTATION_REFUSED",
          "dicomSource.slices",
          "one source image per slice along array axis 2 (" + slices + ")",
          "the DICOM source names "
              + source.getSlices().size()
              + " images for a volume of "
              + slices
              + " slices");
    }
    DataSet patientAndStudy;
    try {
      // Kept out of the event by ingest (no patient attribute travels on Kafka): fetched and
      // verified from the claim-check store.
      ClaimCheck claim = source.getPatientAndStudy();
      BlobRef ref = BlobRef.parse(claim.getUri());
      if (!ref.sha256().equals(claim.getSha256())) {
        throw new IllegalArgumentException("the claim's sha256 is not its reference's");
      }
      patientAndStudy = StudyAttributes.decode(blobs.get(ref));
    } catch (DicomException
        | BlobNotFoundException
        | BlobCorruptException
        | IllegalArgumentException e) {
      throw new ResultRejectedException(
          "SEGMENTATION_REFUSED",
          "dicomSource.patientAndStudy",
          "a blob holding an Explicit VR Little Endian data set (imaging StudyAttributes)",
          "the DICOM source's patient and study attributes do not read: " + e.getMessage());
    }
    List<SegmentationSource.SourceImage> images = new ArrayList<>();
    for (DicomSourceImage image : source.getSlices()) {
      images.add(
          new SegmentationSource.SourceImage(
              image.getSopClassUid(), image.getSopInstanceUid(), image.getFrameNumber()));
    }
    return new SegmentationSource.DicomSeries(
        source.getSeriesInstanceUid(),
        source.getStudyInstanceUid(),
        source.getFrameOfReferenceUid(),
        patientAndStudy,
        images);
  }

  private static ResultRejectedException refused(String field, String message) {
    return new ResultRejectedException(
        "SEGMENTATION_REFUSED",
        field,
        "a binary DICOM Segmentation of SPIDER class values (PS3.3 A.51)",
        "the DICOM Segmentation writer refused the result: " + message);
  }

  /** The label with {@link LabelValues#NOT_SEGMENTED} as 0: those slices get no frame anyway. */
  static Image withoutSentinel(Image image) {
    byte[] data = image.data();
    ByteBuffer values = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; i += 2) {
      if ((values.getShort(i) & 0xFFFF) == LabelValues.NOT_SEGMENTED) {
        values.putShort(i, (short) LabelValues.BACKGROUND);
      }
    }
    return Image.wrap(image.geometry(), image.type(), data);
  }

  /**
   * The same voxels with {@code sagittalAxis} as the third array axis (the other two keep their
   * order): size, spacing and direction columns permuted, origin unchanged, so every voxel keeps
   * its physical point.
   */
  static Image permuted(Image image, int sagittalAxis) {
    if (sagittalAxis == 2) {
      return image;
    }
    int[] order = sagittalAxis == 0 ? new int[] {1, 2, 0} : new int[] {0, 2, 1};
    ImageGeometry g = image.geometry();
    int[] size = new int[3];
    double[] spacing = new double[3];
    double[] direction = new double[9];
    for (int a = 0; a < 3; a++) {
      size[a] = g.size()[order[a]];
      spacing[a] = g.spacing()[order[a]];
      for (int row = 0; row < 3; row++) {
        direction[row * 3 + a] = g.direction(row, order[a]);
      }
    }
    int bytes = image.type().bytes();
    byte[] from = image.data();
    byte[] to = new byte[from.length];
    int[] source = new int[3];
    int[] old = g.size();
    int out = 0;
    for (int k = 0; k < size[2]; k++) {
      for (int j = 0; j < size[1]; j++) {
        for (int i = 0; i < size[0]; i++) {
          source[order[0]] = i;
          source[order[1]] = j;
          source[order[2]] = k;
          int in = source[0] + old[0] * (source[1] + old[1] * source[2]);
          System.arraycopy(from, in * bytes, to, out * bytes, bytes);
          out++;
        }
      }
    }
    return Image.wrap(new ImageGeometry(size, spacing, g.origin(), direction), image.type(), to);
  }
}
