package io.spineflow.results;

import io.spineflow.events.ClassVolumeMl;
import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.LevelResult;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelUse;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Slice;
import io.spineflow.events.StoredOutput;
import io.spineflow.events.Study;
import io.spineflow.events.Volume;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.MeasurementReportWriter;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.imaging.volume.ClassVolume;
import io.spineflow.imaging.volume.LabelVolume;
import io.spineflow.imaging.volume.LabelVolumeAssembler;
import io.spineflow.imaging.volume.LabelVolumeException;
import io.spineflow.imaging.volume.SliceMask;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Makes one complete study revision's result: the masks put back into the study's geometry ({@link
 * LabelVolumeAssembler}), analysed per level ({@link LevelAnalyzer}), written as a MetaImage and a
 * DICOM Segmentation to the blob store, summarised as the {@link Segmentation} event. No Kafka: the
 * processor calls it once every input is in.
 *
 * <p>Idempotent: the blob store is content-addressed and every byte written depends only on the
 * inputs (the SEG's creation time is the summary's {@code completedAt}, its UIDs derive from the
 * content), so a retry after a crash rewrites the same blobs and names the same objects.
 */
final class StudyResultWriter {
  static final String METAIMAGE = "application/x-metaimage";
  static final String DICOM = "application/dicom";

  private final BlobStore blobs;

  StudyResultWriter(BlobStore blobs) {
    this.blobs = blobs;
  }

  /**
   * @param sha256 the weights' SHA-256 of a model name and version, or null when unknown
   * @param now the event's {@code completedAt}
   * @throws ResultRejectedException when the masks do not fit the study or the SEG is refused
   */
  Segmentation write(RevisionInputs in, BiFunction<String, Integer, String> sha256, Instant now) {
    Study header = in.header();
    String uid = header.getStudyUid();
    LabelVolume volume = assemble(in);
    byte[] mha = MetaImageWriter.toMhaBytes(volume.image(), MetaImageWriter.Compression.ZLIB);
    StoredOutput labels = store(mha, METAIMAGE, fileStem(uid) + "-labels.mha");
    List<ModelUse> models = models(in, sha256);
    DicomSegmentations.Outcome seg =
        DicomSegmentations.write(
            uid,
            volume,
            header.getDicomSource(),
            algorithm(models),
            in.summary().getCompletedAt(),
            blobs);
    LevelReport levels = null;
    String notAnalysed = NOT_ANALYSED;
    try {
      levels = levels(volume);
    } catch (IllegalArgumentException e) {
      notAnalysed = "NOT_ANALYSED: " + e.getMessage();
    }
    MeasurementReports.Outcome report =
        MeasurementReports.write(
            uid,
            volume,
            levels,
            header.getDicomSource(),
            algorithm(models),
            in.summary().getCompletedAt(),
            blobs);
    return Segmentation.newBuilder()
        .setStudyUid(uid)
        .setSequence(header.getSequence())
        .setSource(header.getSource())
        .setContentSha256(header.getContentSha256())
        .setStudyReceivedAt(header.getReceivedAt())
        .setSagittalAxis(volume.sagittalAxis())
        .setSourceSlices(in.summary().getSourceSlices())
        .setSegmentedSlices(volume.segmentedSlices())
        .setLabelVolume(labels)
        .setDicomSegmentation(seg.written() == null ? null : segOutput(uid, seg.written(), header))
        .setDicomSegmentationSkipped(seg.skipped())
        .setClassVolumes(classVolumes(volume))
        .setModels(models)
        .setMixedModelVersions(models.size() > 1)
        .setQuality(QualitySummaries.of(in))
        .setLevels(levels == null ? List.of() : levels(levels))
        .setLevelFlags(levels == null ? List.of(notAnalysed) : levels.flags())
        .setMeasurementReport(report.written() == null ? null : reportOutput(uid, report.written()))
        .setMeasurementReportSkipped(report.skipped())
        .setCompletedAt(now)
        .build();
  }

  static final String NOT_ANALYSED = "NOT_ANALYSED: no segmented slice to analyse";

  /** The study's label volume on its own grid. */
  static LabelVolume assemble(RevisionInputs in) {
    Volume image = in.header().getImage();
    ImageGeometry geometry =
        new ImageGeometry(
            image.getSize().stream().mapToInt(Integer::intValue).toArray(),
            doubles(image.getSpacing()),
            doubles(image.getOrigin()),
            doubles(image.getDirection()));
    List<SliceMask> masks = new ArrayList<>();
    for (RevisionInputs.SliceInputs s : in.slices()) {
      masks.add(sliceMask(s.slice(), s.mask()));
    }
    try {
      return LabelVolumeAssembler.assemble(geometry, masks);
    } catch (LabelVolumeException e) {
      throw new ResultRejectedException(
          "LABEL_VOLUME_" + e.reason().name(), e.field(), e.limit(), e.getMessage());
    }
  }

  private static SliceMask sliceMask(Slice slice, Mask mask) {
    String field = "masks[" + slice.getSliceIndex() + "]";
    if (mask.getWidth() != slice.getWidth() || mask.getHeight() != slice.getHeight()) {
      throw new ResultRejectedException(
          "LABEL_VOLUME_INVALID_MASK",
          field + ".width/height",
          "the slice's " + slice.getWidth() + " x " + slice.getHeight(),
          "the mask of slice "
              + slice.getSliceIndex()
              + " is "
              + mask.getWidth()
              + " x "
              + mask.getHeight());
    }
    ByteBuffer classes = mask.getClasses().duplicate();
    byte[] bytes = new byte[classes.remaining()];
    classes.get(bytes);
    try {
      return new SliceMask(
          slice.getSourceSliceIndex(),
          slice.getSagittalAxis(),
          mask.getWidth(),
          mask.getHeight(),
          doubles(slice.getPixelToPhysical()),
          bytes);
    } catch (LabelVolumeException e) {
      throw new ResultRejectedException(
          "LABEL_VOLUME_" + e.reason().name(), field + "." + e.field(), e.limit(), e.getMessage());
    }
  }

  /**
   * The per-level analysis. {@link LabelScheme#SPIDER} reads the label volume's values (1, 100,
   * 201) as they are, and anything from 300 up as background, so the unsegmented slices' 65535 is
   * "nothing there" to it ({@code ResultsLevelsTest}). Null when no slice was segmented or the
   * analysis finds nothing to stand on.
   */
  static LevelReport levels(LabelVolume volume) {
    if (volume.segmentedSlices().isEmpty()) {
      return null;
    }
    return LevelAnalyzer.report(volume.image(), LabelScheme.SPIDER);
  }

  private StoredOutput store(byte[] bytes, String mediaType, String fileName) {
    BlobRef ref = blobs.put(bytes);
    return StoredOutput.newBuilder()
        .setBlob(ref.toString())
        .setMediaType(mediaType)
        .setFileName(fileName)
        .setSizeBytes(bytes.length)
        .build();
  }

  private DicomSegmentationOutput segOutput(
      String uid, SegmentationWriter.Written written, Study header) {
    return DicomSegmentationOutput.newBuilder()
        .setFile(store(written.part10(), DICOM, fileStem(uid) + "-seg.dcm"))
        .setSopInstanceUid(written.sopInstanceUid())
        .setSeriesInstanceUid(written.seriesInstanceUid())
        .setStudyInstanceUid(written.studyInstanceUid())
        .setReferencedSeriesInstanceUid(
            header.getDicomSource() == null ? null : header.getDicomSource().getSeriesInstanceUid())
        .build();
  }

  private DicomReportOutput reportOutput(String uid, MeasurementReportWriter.Written written) {
    return DicomReportOutput.newBuilder()
        .setFile(store(written.part10(), DICOM, fileStem(uid) + "-sr.dcm"))
        .setSopInstanceUid(written.sopInstanceUid())
        .setSeriesInstanceUid(written.seriesInstanceUid())
        .setMeasurements(written.measurements())
        .build();
  }

  /** Every version that produced a mask, lowest first, with its slices and weights' SHA-256. */
  static List<ModelUse> models(RevisionInputs in, BiFunction<String, Integer, String> sha256) {
    Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
    for (RevisionInputs.SliceInputs s : in.slices()) {
      counts
          .computeIfAbsent(s.mask().getModelName(), n -> new TreeMap<>())
          .merge(s.mask().getModelVersion(), 1, Integer::sum);
    }
    List<ModelUse> uses = new ArrayList<>();
    counts.forEach(
        (name, versions) ->
            versions.forEach(
                (version, slices) ->
                    uses.add(
                        ModelUse.newBuilder()
                            .setModelName(name)
                            .setModelVersion(version)
                            .setSha256(sha256.apply(name, version))
                            .setSlices(slices)
                            .build())));
    uses.sort(
        (a, b) ->
            a.getModelVersion() != b.getModelVersion()
                ? Integer.compare(a.getModelVersion(), b.getModelVersion())
                : a.getModelName().compareTo(b.getModelName()));
    return uses;
  }

  /**
   * The SEG's algorithm: the model's name and version; after a hot swap inside the study, every
   * version that served it joined by "+", lowest first (e.g. {@code 3+4}), since its frames come
   * from each. Another set of versions is another algorithm, hence other UIDs.
   */
  static SegmentationWriter.Algorithm algorithm(List<ModelUse> models) {
    if (models.isEmpty()) {
      return new SegmentationWriter.Algorithm("none", "0");
    }
    String names =
        models.stream().map(ModelUse::getModelName).distinct().collect(Collectors.joining("+"));
    String versions =
        models.stream()
            .map(m -> Integer.toString(m.getModelVersion()))
            .distinct()
            .collect(Collectors.joining("+"));
    return new SegmentationWriter.Algorithm(names, versions);
  }

  private static List<ClassVolumeMl> classVolumes(LabelVolume volume) {
    List<ClassVolumeMl> out = new ArrayList<>();
    for (ClassVolume c : volume.classVolumes()) {
      out.add(
          ClassVolumeMl.newBuilder()
              .setClassName(className(c.spineClass()))
              .setLabelValue(c.value())
              .setVoxels(c.voxels())
              .setMillilitres(c.millilitres())
              .build());
    }
    return out;
  }

  /** The contract's class names: vertebrae, canal, discs. */
  static String className(SpineClass spineClass) {
    return switch (spineClass) {
      case SPINAL_CANAL -> "canal";
      default -> spineClass.name().toLowerCase(Locale.ROOT);
    };
  }

  private static List<LevelResult> levels(LevelReport report) {
    List<LevelResult> out = new ArrayList<>();
    for (LevelMeasurement l : report.levels()) {
      out.add(
          LevelResult.newBuilder()
              .setOrder(l.order())
              .setName(l.name())
              .setKind(l.kind().name().toLowerCase(Locale.ROOT))
              .setFound(l.found())
              .setSliceIndex(l.sliceIndex())
              .setAnteriorMm(l.anteriorMm())
              .setMiddleMm(l.middleMm())
              .setPosteriorMm(l.posteriorMm())
              .setCanalApMm(l.canalApMm())
              .setFlags(l.flags())
              .build());
    }
    return out;
  }

  /** A file name from a study UID: letters, digits, dot, dash and underscore kept. */
  static String fileStem(String uid) {
    String stem = uid.replaceAll("[^A-Za-z0-9._-]", "_");
    return stem.length() > 100 ? stem.substring(0, 100) : stem;
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
