package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationTags.*;

import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a study's per-level measurements ({@link LevelReport}) as a DICOM Structured Report:
 * Enhanced SR Storage ({@value #ENHANCED_SR_STORAGE}), Explicit VR Little Endian, content after TID
 * 1500 "Measurement Report". A pure function: the same request gives the same bytes, and the same
 * report the same UIDs whatever the creation time.
 *
 * <p>One Measurement Group per measured lumbar (or lower thoracic) level: a disc's or vertebral
 * body's anterior, middle and posterior heights and a disc's canal diameter, each in mm. A level
 * whose measurements are all null, a placeholder ({@code found = false}), the sacrum and unnumbered
 * structures have no group; a null measurement has no item. Nothing is invented. Study and level
 * flags are not written: a report says what was measured, the flags travel with the {@link
 * LevelReport} (see imaging's README, "Measurement reports").
 */
public final class MeasurementReportWriter {
  public static final String ENHANCED_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.22";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSSSSS");

  private MeasurementReportWriter() {}

  /**
   * The Segmentation the measured levels come from, for TID 1411's Referenced Segment.
   *
   * @param seriesInstanceUid the SEG's own series (for the evidence sequence)
   * @param segmentByValue the segment number of each SPIDER label value the SEG holds (a SEG
   *     written with {@link SegmentationWriter.Labelling#LEVELS}: one segment per level)
   */
  public record SegmentationReference(
      String sopInstanceUid, String seriesInstanceUid, Map<Integer, Integer> segmentByValue) {
    public SegmentationReference {
      Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
      Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
      segmentByValue = Map.copyOf(segmentByValue);
    }

    /** The SEG {@link SegmentationWriter} wrote. */
    public static SegmentationReference of(SegmentationWriter.Written seg) {
      Map<Integer, Integer> segments = new LinkedHashMap<>();
      for (SegmentationWriter.Segment s : seg.segments()) {
        segments.put(s.labelValue(), s.number());
      }
      return new SegmentationReference(seg.sopInstanceUid(), seg.seriesInstanceUid(), segments);
    }
  }

  /**
   * What to write.
   *
   * @param source the study: a DICOM series (the report shares its patient and study, and names the
   *     images measured) or a volume without DICOM (study UID derived from its key, as its SEG's)
   * @param segmentation the SEG of the measured labels, or null
   * @param created Content Date/Time and Instance Creation Date/Time (UTC); not part of the UIDs
   */
  public record Request(
      LevelReport report,
      SegmentationSource source,
      SegmentationReference segmentation,
      SegmentationWriter.Algorithm algorithm,
      Instant created,
      int seriesNumber) {
    public Request {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(created, "created");
    }
  }

  /**
   * The written report.
   *
   * @param groups the levels written, lowest first
   * @param measurements the numeric items written
   */
  public record Written(
      byte[] part10,
      String sopInstanceUid,
      String seriesInstanceUid,
      String studyInstanceUid,
      List<String> groups,
      int measurements) {}

  /**
   * Writes the report.
   *
   * @throws IllegalArgumentException when no level has a measurement (a report needs one)
   */
  public static Written write(Request request) throws DicomException {
    List<MeasurementContent.Group> groups = MeasurementContent.groups(request);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(
          "no numbered level has a measurement: there is nothing to report");
    }
    String digest = digest(request);
    String key = sourceKey(request.source());
    SegmentationWriter.Algorithm a = request.algorithm();
    String instance = SegmentationUids.of("report-instance", key, a.name(), a.version(), digest);
    String series = SegmentationUids.of("report-series", key, a.name(), a.version(), digest);
    String study = SegmentationWriter.studyUid(request.source());
    DataSetBuilder b = new DataSetBuilder();
    SegmentationWriter.patientAndStudy(b, request.source(), study);
    header(b, request, instance, series);
    MeasurementContent.write(b, request, groups, key);
    evidence(b, request, groups, study);
    byte[] part10 =
        DicomWriter.write(b.build(), TransferSyntax.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    int measurements = groups.stream().mapToInt(g -> g.numbers().size()).sum();
    return new Written(
        part10,
        instance,
        series,
        study,
        groups.stream().map(g -> g.level().name()).toList(),
        measurements);
  }

  static String sourceKey(SegmentationSource source) {
    return source instanceof SegmentationSource.DicomSeries s
        ? s.seriesInstanceUid()
        : ((SegmentationSource.Volume) source).sourceKey();
  }

  /** SHA-256 over what the report says: the levels' table and the SEG reference. */
  private static String digest(Request request) {
    MessageDigest sha = SegmentationUids.sha256();
    sha.update(request.report().toCsv().getBytes(StandardCharsets.UTF_8));
    SegmentationReference seg = request.segmentation();
    if (seg != null) {
      sha.update(
          (seg.sopInstanceUid() + new java.util.TreeMap<>(seg.segmentByValue()))
              .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** SOP Common, SR Document Series, General Equipment and SR Document General. */
  private static void header(DataSetBuilder b, Request request, String instance, String series) {
    String date = DATE.format(request.created().atOffset(ZoneOffset.UTC));
    String time = TIME.format(request.created().atOffset(ZoneOffset.UTC));
    SegmentationWriter.Algorithm a = request.algorithm();
    b.text(INSTANCE_CREATION_DATE, VR.DA, date)
        .text(INSTANCE_CREATION_TIME, VR.TM, time)
        .text(DicomTag.SOP_CLASS_UID.tag(), VR.UI, ENHANCED_SR_STORAGE)
        .text(DicomTag.SOP_INSTANCE_UID.tag(), VR.UI, instance)
        .text(CONTENT_DATE, VR.DA, date)
        .text(CONTENT_TIME, VR.TM, time)
        .text(DicomTag.MODALITY.tag(), VR.CS, "SR")
        .text(MANUFACTURER, VR.LO, SegmentationWriter.MANUFACTURER_NAME)
        .text(TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0000")
        .text(
            DicomTag.SERIES_DESCRIPTION.tag(),
            VR.LO,
            SegmentationWriter.limit("Spine measurements " + a.name(), 64))
        .sequence(SrTags.REFERENCED_PERFORMED_PROCEDURE_STEP_SEQUENCE, List.of())
        .text(MANUFACTURER_MODEL_NAME, VR.LO, SegmentationWriter.MANUFACTURER_NAME)
        .text(SOFTWARE_VERSIONS, VR.LO, SegmentationWriter.limit(a.name() + " " + a.version(), 64))
        .text(DicomTag.SERIES_INSTANCE_UID.tag(), VR.UI, series)
        .is(SERIES_NUMBER, request.seriesNumber())
        .is(DicomTag.INSTANCE_NUMBER.tag(), 1)
        .text(SrTags.COMPLETION_FLAG, VR.CS, "COMPLETE")
        .text(SrTags.VERIFICATION_FLAG, VR.CS, "UNVERIFIED")
        .sequence(SrTags.PERFORMED_PROCEDURE_CODE_SEQUENCE, List.of());
  }

  /**
   * Current Requested Procedure Evidence Sequence: every instance the content references (the SEG,
   * the images measured), by study and series.
   */
  private static void evidence(
      DataSetBuilder b, Request request, List<MeasurementContent.Group> groups, String study) {
    Map<String, Map<String, String>> bySeries = new LinkedHashMap<>();
    for (MeasurementContent.Group g : groups) {
      if (g.segment() != null) {
        bySeries
            .computeIfAbsent(request.segmentation().seriesInstanceUid(), k -> new LinkedHashMap<>())
            .put(request.segmentation().sopInstanceUid(), SegmentationObject.SEGMENTATION_STORAGE);
      }
      if (g.image() != null && request.source() instanceof SegmentationSource.DicomSeries s) {
        bySeries
            .computeIfAbsent(s.seriesInstanceUid(), k -> new LinkedHashMap<>())
            .put(g.image().sopInstanceUid(), g.image().sopClassUid());
      }
    }
    if (bySeries.isEmpty()) {
      return;
    }
    List<DataSet> series = new ArrayList<>();
    bySeries.forEach(
        (uid, instances) -> {
          List<DataSet> sops = new ArrayList<>();
          instances.forEach(
              (instance, sopClass) ->
                  sops.add(SegmentationFrames.sopReference(sopClass, instance).build()));
          series.add(
              new DataSetBuilder()
                  .sequence(SrTags.REFERENCED_SOP_SEQUENCE, sops)
                  .text(DicomTag.SERIES_INSTANCE_UID.tag(), VR.UI, uid)
                  .build());
        });
    b.item(
        SrTags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE,
        new DataSetBuilder()
            .sequence(DicomTag.REFERENCED_SERIES_SEQUENCE.tag(), series)
            .text(DicomTag.STUDY_INSTANCE_UID.tag(), VR.UI, study)
            .build());
  }

  /** A level's measurement group is written only when it has a number: see {@link #write}. */
  static boolean measured(LevelMeasurement l) {
    return l.found()
        && (l.anteriorMm() != null
            || l.middleMm() != null
            || l.posteriorMm() != null
            || l.canalApMm() != null);
  }
}
