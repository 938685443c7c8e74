package io.spineflow.results;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ClaimCheck;
import io.spineflow.events.ClassMetrics;
import io.spineflow.events.DicomSourceImage;
import io.spineflow.events.DicomSourceSeries;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelArchitecture;
import io.spineflow.events.ModelLineage;
import io.spineflow.events.Quality;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.events.Volume;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.volume.SliceMask;
import io.spineflow.platform.volume.ClaimCheckStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A small sagittal study built by hand, as a DICOM series would be assembled: axis 0 anterior to
 * posterior, axis 1 superior to inferior, axis 2 (the slices) right to left, 1 × 1 × 3 mm; its
 * masks on the voxel grid of each slice, with blocks of vertebrae, discs and canal.
 */
final class Fixtures {
  static final int WIDTH = 24;
  static final int HEIGHT = 20;
  static final int SLICES = 5;
  static final double[] SPACING = {1, 1, 3};
  static final double[] ORIGIN = {-6, -12, 10};

  /** Row-major; columns (0,1,0), (0,0,-1), (-1,0,0): a right-handed sagittal stack. */
  static final double[] DIRECTION = {0, 0, -1, 1, 0, 0, 0, -1, 0};

  static final String MODEL = "spine-unet";
  static final String SERIES_UID = "1.2.826.0.1.3680043.8.498.1";
  static final String STUDY_UID = "1.2.826.0.1.3680043.8.498.2";
  static final String FRAME_OF_REFERENCE_UID = "1.2.826.0.1.3680043.8.498.3";
  static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

  private Fixtures() {}

  static ImageGeometry geometry() {
    return new ImageGeometry(new int[] {WIDTH, HEIGHT, SLICES}, SPACING, ORIGIN, DIRECTION);
  }

  static Study study(String uid, Instant receivedAt, String sha, boolean dicom) {
    Volume image =
        Volume.newBuilder()
            .setSize(List.of(WIDTH, HEIGHT, SLICES))
            .setSpacing(boxed(SPACING))
            .setOrigin(boxed(ORIGIN))
            .setDirection(boxed(DIRECTION))
            .setElementType("MET_SHORT")
            .setVoxels(
                InlineVoxels.newBuilder()
                    .setData(ByteBuffer.wrap(new byte[2 * WIDTH * HEIGHT * SLICES]))
                    .build())
            .build();
    return Study.newBuilder()
        .setStudyUid(uid)
        .setSequence(Sequence.T2)
        .setSource(dicom ? StudySource.DICOM : StudySource.TOPIC)
        .setContentSha256(sha)
        .setReceivedAt(receivedAt)
        .setImage(image)
        .setDicomSource(dicom ? dicomSource() : null)
        .build();
  }

  static DicomSourceSeries dicomSource() {
    List<DicomSourceImage> images = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      images.add(
          DicomSourceImage.newBuilder()
              .setSopClassUid(MR_IMAGE_STORAGE)
              .setSopInstanceUid(SERIES_UID + "." + (k + 1))
              .setFrameNumber(0)
              .build());
    }
    return DicomSourceSeries.newBuilder()
        .setSeriesInstanceUid(SERIES_UID)
        .setStudyInstanceUid(STUDY_UID)
        .setFrameOfReferenceUid(FRAME_OF_REFERENCE_UID)
        .setSlices(images)
        .setPatientAndStudy(
            ClaimCheck.newBuilder()
                .setUri("sha256:" + ClaimCheckStore.sha256(patientAndStudy()))
                .setSha256(ClaimCheckStore.sha256(patientAndStudy()))
                .setSizeBytes(patientAndStudy().length)
                .build())
        .build();
  }

  /**
   * Specific Character Set, Study Date, Patient's Name and ID, Study Instance UID (Explicit LE), as
   * ingest keeps them in the claim-check store: a test writing a DICOM study's SEG puts them into
   * its blob store.
   */
  static byte[] patientAndStudy() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    element(out, 0x0008, 0x0005, "CS", "ISO_IR 100", ' ');
    element(out, 0x0008, 0x0020, "DA", "20260101", ' ');
    element(out, 0x0010, 0x0010, "PN", "Doe^Jane", ' ');
    element(out, 0x0010, 0x0020, "LO", "PAT-1", ' ');
    element(out, 0x0020, 0x000D, "UI", STUDY_UID, '\0');
    return out.toByteArray();
  }

  private static void element(
      ByteArrayOutputStream out, int group, int element, String vr, String value, char pad) {
    byte[] bytes =
        (value.length() % 2 == 0 ? value : value + pad).getBytes(StandardCharsets.US_ASCII);
    out.write(group & 0xFF);
    out.write(group >> 8);
    out.write(element & 0xFF);
    out.write(element >> 8);
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes.length & 0xFF);
    out.write(bytes.length >> 8);
    out.writeBytes(bytes);
  }

  /** Slice {@code k}'s mask plane: the voxel grid of source slice {@code k}. */
  static double[] pixelToPhysical(int k) {
    ImageGeometry g = geometry();
    double[] m = new double[9];
    for (int row = 0; row < 3; row++) {
      m[row * 3] = g.direction(row, 0) * SPACING[0];
      m[row * 3 + 1] = g.direction(row, 1) * SPACING[1];
      m[row * 3 + 2] = ORIGIN[row] + k * SPACING[2] * g.direction(row, 2);
    }
    return m;
  }

  static Slice slice(String uid, int k, Instant receivedAt) {
    return Slice.newBuilder()
        .setStudyUid(uid)
        .setSliceIndex(k)
        .setSequence(Sequence.T2)
        .setWidth(WIDTH)
        .setHeight(HEIGHT)
        .setPixels(ByteBuffer.wrap(new byte[4 * WIDTH * HEIGHT]))
        .setPixelSpacing(List.of(1.0, 1.0))
        .setSliceThickness(SPACING[2])
        .setPixelToPhysical(boxed(pixelToPhysical(k)))
        .setSourceSliceIndex(k)
        .setSagittalAxis(2)
        .setStudyReceivedAt(receivedAt)
        .setPreprocessedAt(receivedAt.plusSeconds(1))
        .build();
  }

  static SliceSummary summary(String uid, Instant receivedAt, List<Integer> emitted) {
    return SliceSummary.newBuilder()
        .setStudyUid(uid)
        .setSequence(Sequence.T2)
        .setLabelled(false)
        .setSourceSlices(SLICES)
        .setEmittedSliceIndexes(emitted)
        .setDroppedByReason(Map.of("OUTSIDE_SPINE_REGION", SLICES - emitted.size()))
        .setStudyReceivedAt(receivedAt)
        .setCompletedAt(receivedAt.plusSeconds(2))
        .build();
  }

  /**
   * Blocks from the top: vertebra, disc, vertebra, disc, vertebra (columns 3-13), the canal behind
   * them (columns 15-18) on every row; slice {@code k} shifts the blocks down by {@code k % 2}.
   */
  static byte[] classes(int k) {
    byte[] c = new byte[WIDTH * HEIGHT];
    int[] bands = {1, 1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 0};
    for (int row = 0; row < HEIGHT; row++) {
      int band = bands[Math.min(HEIGHT - 1, Math.max(0, row - k % 2))];
      for (int col = 3; col <= 13; col++) {
        c[row * WIDTH + col] = (byte) band;
      }
      for (int col = 15; col <= 18; col++) {
        c[row * WIDTH + col] = 2;
      }
    }
    return c;
  }

  static Mask mask(String uid, int k, Instant receivedAt, int version, Instant producedAt) {
    return mask(uid, k, receivedAt, version, producedAt, classes(k));
  }

  static Mask mask(
      String uid, int k, Instant receivedAt, int version, Instant producedAt, byte[] classes) {
    return Mask.newBuilder()
        .setStudyUid(uid)
        .setSliceIndex(k)
        .setSequence(Sequence.T2)
        .setWidth(WIDTH)
        .setHeight(HEIGHT)
        .setClasses(ByteBuffer.wrap(classes))
        .setModelName(MODEL)
        .setModelVersion(version)
        .setBatchSize(4)
        .setQueueMillis(1)
        .setInferenceMillis(10)
        .setStudyReceivedAt(receivedAt)
        .setProducedAt(producedAt)
        .build();
  }

  static Quality quality(String uid, int k, int version, Instant producedAt, Double discDice) {
    List<ClassMetrics> metrics =
        discDice == null
            ? List.of()
            : List.of(
                ClassMetrics.newBuilder()
                    .setClassIndex(3)
                    .setClassName("IVDs")
                    .setDice(discDice)
                    .build());
    return Quality.newBuilder()
        .setStudyUid(uid)
        .setSliceIndex(k)
        .setSequence(Sequence.T2)
        .setModelName(MODEL)
        .setModelVersion(version)
        .setClassMetrics(metrics)
        .setMeanMaxProbability(0.9)
        .setClassEntropy(List.of(0.1, 0.1, 0.1, 0.1))
        .setAreaFractions(List.of(0.5, 0.3, 0.1, 0.1))
        .setPlausibility(Map.of("discsBetweenVertebrae", k != 2))
        .setProducedAt(producedAt)
        .build();
  }

  static String sha(int version) {
    return Integer.toHexString(version).repeat(64).substring(0, 64);
  }

  static ModelAnnouncement announcement(int version, Instant at) {
    return ModelAnnouncement.newBuilder()
        .setModelName(MODEL)
        .setVersion(version)
        .setLocation("blob:" + MODEL + "/v" + version)
        .setSha256(sha(version))
        .setArchitecture(
            ModelArchitecture.newBuilder()
                .setVariant("modified-unet")
                .setBaseWidth(8)
                .setDepth(3)
                .setBottleneckChannels(64)
                .setInputHeight(128)
                .setInputWidth(128)
                .setClasses(4)
                .setDropout(0.1)
                .build())
        .setValidationMetrics(Map.of("miou", 0.8))
        .setLineage(
            ModelLineage.newBuilder()
                .setTrainingStudies(List.of("a"))
                .setValidationStudies(List.of("b"))
                .setSliceOffsets(Map.of("0", 1L))
                .setSeed(1)
                .build())
        .setKind(AnnouncementKind.PROMOTED)
        .setAnnouncedAt(at)
        .build();
  }

  /** The masks as the assembler takes them, for an expected label volume. */
  static List<SliceMask> sliceMasks(List<Integer> emitted) {
    List<SliceMask> masks = new ArrayList<>();
    for (int k : emitted) {
      masks.add(new SliceMask(k, 2, WIDTH, HEIGHT, pixelToPhysical(k), classes(k)));
    }
    return masks;
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
