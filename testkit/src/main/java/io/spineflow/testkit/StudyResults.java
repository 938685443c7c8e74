package io.spineflow.testkit;

import io.spineflow.events.ClassVolumeMl;
import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.LevelResult;
import io.spineflow.events.ModelUse;
import io.spineflow.events.QualitySummary;
import io.spineflow.events.Segmentation;
import io.spineflow.events.StoredOutput;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.MeasurementReportWriter;
import io.spineflow.imaging.dicom.SegmentationSource;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.schemas.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A real {@code segmentations} event for tests of its consumers (export, dashboard), as the results
 * service would publish it: a phantom's label merged into the four classes on its own grid
 * (MET_USHORT, 0/1/100/201, the first and last sagittal slice 65535 "not segmented"), written as a
 * MetaImage and as a DICOM Segmentation ({@link SegmentationWriter}) into a blob store, and
 * measured level by level ({@link LevelAnalyzer}), so every number in the event is real.
 */
public final class StudyResults {
  /** Label values of the result's label volume. */
  public static final int VERTEBRAE = 1;

  public static final int CANAL = 100;
  public static final int DISCS = 201;
  public static final int NOT_SEGMENTED = 65535;

  /** Phantoms by seed: a test that builds several results of one phantom generates it once. */
  private static final Map<Long, PhantomStudy> PHANTOMS = new ConcurrentHashMap<>();

  private StudyResults() {}

  /** Publishes {@code events} on {@code topic}, each keyed by its study, and waits for each. */
  public static void publish(
      String bootstrap, Topic<String, Segmentation> topic, Segmentation... events)
      throws Exception {
    try (KafkaProducer<String, Segmentation> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      for (Segmentation e : events) {
        producer.send(new ProducerRecord<>(topic.name(), e.getStudyUid(), e)).get();
      }
    }
  }

  private static PhantomStudy phantom(long seed) {
    return new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, seed).withSizeScale(0.5));
  }

  /**
   * What was published and what it was built from.
   *
   * @param labelMha the label volume's bytes as stored
   * @param segPart10 the DICOM Segmentation's bytes as stored
   * @param label the label volume
   * @param report the level analysis the event's levels come from
   * @param srPart10 the measurement report's bytes as stored
   */
  public record Built(
      Segmentation event,
      byte[] labelMha,
      byte[] segPart10,
      Image label,
      LevelReport report,
      byte[] srPart10) {}

  /**
   * A result for {@code studyUid} from the phantom of {@code seed} (half size), its blobs put into
   * {@code blobs}; {@code modelVersions} each served a share of the slices (two or more: a hot swap
   * inside the study).
   */
  public static Built of(
      String studyUid, long seed, BlobStore blobs, Instant completedAt, int... modelVersions) {
    PhantomStudy study = PHANTOMS.computeIfAbsent(seed, StudyResults::phantom);
    int axis = study.truth().sagittalAxis();
    Image merged = merged(study.mask());
    LevelReport report = LevelAnalyzer.report(merged, LabelScheme.SPIDER);
    int slices = merged.geometry().size()[axis];
    List<Integer> segmented = new ArrayList<>();
    for (int i = 1; i < slices - 1; i++) {
      segmented.add(i);
    }
    Image label = withUnsegmented(merged, axis, 0, slices - 1);
    byte[] mha = MetaImageWriter.toMhaBytes(label, MetaImageWriter.Compression.NONE);
    SegmentationWriter.Written seg = seg(merged, axis, segmented, studyUid, completedAt);
    MeasurementReportWriter.Written sr = report(report, studyUid, completedAt);
    Segmentation event =
        Segmentation.newBuilder()
            .setStudyUid(studyUid)
            .setSequence(io.spineflow.events.Sequence.T2)
            .setSource(StudySource.TOPIC)
            .setContentSha256("%064x".formatted(seed))
            .setStudyReceivedAt(completedAt.minusSeconds(30))
            .setSagittalAxis(axis)
            .setSourceSlices(slices)
            .setSegmentedSlices(segmented)
            .setLabelVolume(stored(blobs, mha, "application/x-metaimage", studyUid + "-labels.mha"))
            .setDicomSegmentation(
                DicomSegmentationOutput.newBuilder()
                    .setFile(
                        stored(blobs, seg.part10(), "application/dicom", studyUid + "-seg.dcm"))
                    .setSopInstanceUid(seg.sopInstanceUid())
                    .setSeriesInstanceUid(seg.seriesInstanceUid())
                    .setStudyInstanceUid(seg.studyInstanceUid())
                    .build())
            .setClassVolumes(classVolumes(label))
            .setModels(models(modelVersions, segmented.size()))
            .setMixedModelVersions(modelVersions.length > 1)
            .setQuality(
                QualitySummary.newBuilder()
                    .setSlices(segmented.size())
                    .setMeanMaxProbability(0.93)
                    .setImplausibleSlices(1)
                    .setLabelledSlices(segmented.size())
                    .setMeanDice(Map.of("vertebrae", 0.91, "canal", 0.84, "discs", 0.88))
                    .build())
            .setLevels(report.levels().stream().map(StudyResults::level).toList())
            .setLevelFlags(report.flags())
            .setMeasurementReport(
                DicomReportOutput.newBuilder()
                    .setFile(stored(blobs, sr.part10(), "application/dicom", studyUid + "-sr.dcm"))
                    .setSopInstanceUid(sr.sopInstanceUid())
                    .setSeriesInstanceUid(sr.seriesInstanceUid())
                    .setMeasurements(sr.measurements())
                    .build())
            .setCompletedAt(completedAt)
            .build();
    return new Built(event, mha, seg.part10(), label, report, sr.part10());
  }

  /** SPIDER values into the result's classes: 1–99 vertebrae, 100 canal, 200+ discs. */
  private static Image merged(Image mask) {
    double[] values = mask.toDoubles();
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      long v = Math.round(values[i]);
      out[i] = v == 0 ? 0 : v == CANAL ? CANAL : v >= 200 ? DISCS : v < 100 ? VERTEBRAE : 0;
    }
    return Image.fromDoubles(mask.geometry(), ElementType.USHORT, out);
  }

  private static Image withUnsegmented(Image merged, int axis, int... slices) {
    ImageGeometry g = merged.geometry();
    int[] size = g.size();
    double[] values = merged.toDoubles();
    for (int z = 0; z < size[2]; z++) {
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          int along = axis == 0 ? x : axis == 1 ? y : z;
          for (int s : slices) {
            if (along == s) {
              values[x + size[0] * (y + size[1] * z)] = NOT_SEGMENTED;
            }
          }
        }
      }
    }
    return Image.fromDoubles(g, ElementType.USHORT, values);
  }

  /** The measurements as results writes them: TID 1500, referencing images, not segments. */
  private static MeasurementReportWriter.Written report(
      LevelReport report, String studyUid, Instant created) {
    try {
      return MeasurementReportWriter.write(
          new MeasurementReportWriter.Request(
              report,
              new SegmentationSource.Volume(studyUid, ""),
              null,
              new SegmentationWriter.Algorithm("spineflow-unet", "1"),
              created,
              901));
    } catch (DicomException e) {
      throw new IllegalStateException("the phantom's report cannot be written: " + e, e);
    }
  }

  /** The SEG over axis 2 (its frames' axis): the segmented slices when that is the sagittal one. */
  private static SegmentationWriter.Written seg(
      Image merged, int axis, List<Integer> segmented, String studyUid, Instant created) {
    BitSet frames = new BitSet();
    if (axis == 2) {
      segmented.forEach(frames::set);
    } else {
      frames.set(0, merged.geometry().size()[2]);
    }
    try {
      return SegmentationWriter.write(
          new SegmentationWriter.Request(
              merged,
              frames,
              SegmentationWriter.Labelling.CLASSES,
              new SegmentationWriter.Algorithm("spineflow-unet", "1"),
              new SegmentationSource.Volume(studyUid, ""),
              created,
              900));
    } catch (DicomException e) {
      throw new IllegalStateException("the phantom's SEG cannot be written: " + e, e);
    }
  }

  private static StoredOutput stored(
      BlobStore blobs, byte[] bytes, String mediaType, String fileName) {
    return StoredOutput.newBuilder()
        .setBlob(blobs.put(bytes).toString())
        .setMediaType(mediaType)
        .setFileName(fileName)
        .setSizeBytes(bytes.length)
        .build();
  }

  private static List<ClassVolumeMl> classVolumes(Image label) {
    double[] spacing = label.geometry().spacing();
    double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
    double[] values = label.toDoubles();
    long[] counts = new long[3];
    for (double v : values) {
      int i = v == VERTEBRAE ? 0 : v == CANAL ? 1 : v == DISCS ? 2 : -1;
      if (i >= 0) {
        counts[i]++;
      }
    }
    String[] names = {"vertebrae", "canal", "discs"};
    int[] labelValues = {VERTEBRAE, CANAL, DISCS};
    List<ClassVolumeMl> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(new ClassVolumeMl(names[i], labelValues[i], counts[i], counts[i] * voxelMl));
    }
    return out;
  }

  private static List<ModelUse> models(int[] versions, int slices) {
    List<ModelUse> out = new ArrayList<>();
    for (int i = 0; i < versions.length; i++) {
      int share = slices / versions.length + (i < slices % versions.length ? 1 : 0);
      out.add(new ModelUse("spine-unet", versions[i], "%064x".formatted(versions[i]), share));
    }
    return out;
  }

  private static LevelResult level(LevelMeasurement l) {
    return LevelResult.newBuilder()
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
        .build();
  }
}
