package io.spineflow.imaging.dicom;

import io.spineflow.imaging.levels.LevelMeasurement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content tree of {@link MeasurementReportWriter}'s report (TID 1500), one Measurement Group
 * per measured level: TID 1411 "Volumetric ROI Measurements" where the level has a segment in the
 * referenced SEG of a DICOM series, else TID 1501 "Measurement and Qualitative Evaluation Group",
 * whose numbers name the image they were measured on (TID 300 / 320) when the source is a DICOM
 * series sliced across its slice axis.
 */
final class MeasurementContent {
  private MeasurementContent() {}

  private static SegmentAnatomy.Code dcm(String value, String meaning) {
    return new SegmentAnatomy.Code("DCM", value, meaning);
  }

  private static SegmentAnatomy.Code sct(String value, String meaning) {
    return new SegmentAnatomy.Code(SegmentAnatomy.SNOMED_CT, value, meaning);
  }

  /** CID 7021: the document title. */
  static final SegmentAnatomy.Code REPORT = dcm("126000", "Imaging Measurement Report");

  static final SegmentAnatomy.Code LANGUAGE =
      dcm("121049", "Language of Content Item and Descendants");
  static final SegmentAnatomy.Code ENGLISH =
      new SegmentAnatomy.Code("RFC5646", "en-US", "English (United States)");
  static final SegmentAnatomy.Code OBSERVER_TYPE = dcm("121005", "Observer Type");
  static final SegmentAnatomy.Code DEVICE = dcm("121007", "Device");
  static final SegmentAnatomy.Code DEVICE_UID = dcm("121012", "Device Observer UID");
  static final SegmentAnatomy.Code DEVICE_NAME = dcm("121013", "Device Observer Name");
  static final SegmentAnatomy.Code DEVICE_MANUFACTURER =
      dcm("121014", "Device Observer Manufacturer");
  static final SegmentAnatomy.Code DEVICE_MODEL = dcm("121015", "Device Observer Model Name");
  static final SegmentAnatomy.Code PROCEDURE_REPORTED = dcm("121058", "Procedure reported");

  /** CID 100 (Quantitative Diagnostic Imaging Procedures): LOINC's MRI without body region. */
  static final SegmentAnatomy.Code MRI =
      new SegmentAnatomy.Code("LN", "25056-3", "MRI unspecified body region");

  static final SegmentAnatomy.Code IMAGE_LIBRARY = dcm("111028", "Image Library");
  static final SegmentAnatomy.Code IMAGE_LIBRARY_GROUP = dcm("126200", "Image Library Group");
  static final SegmentAnatomy.Code IMAGING_MEASUREMENTS = dcm("126010", "Imaging Measurements");
  static final SegmentAnatomy.Code MEASUREMENT_GROUP = dcm("125007", "Measurement Group");
  static final SegmentAnatomy.Code TRACKING_ID = dcm("112039", "Tracking Identifier");
  static final SegmentAnatomy.Code TRACKING_UID = dcm("112040", "Tracking Unique Identifier");
  static final SegmentAnatomy.Code FINDING = dcm("121071", "Finding");
  static final SegmentAnatomy.Code REFERENCED_SEGMENT = dcm("121191", "Referenced Segment");
  static final SegmentAnatomy.Code SOURCE_SERIES = dcm("121232", "Source series for segmentation");
  static final SegmentAnatomy.Code FINDING_SITE = sct("363698007", "Finding Site");

  /** CID 7470 (Linear Measurements): a height and a diameter. */
  static final SegmentAnatomy.Code HEIGHT = dcm("121207", "Height");

  static final SegmentAnatomy.Code DIAMETER = sct("81827009", "Diameter");

  /** Where along the AP extent a height is taken: CID 2 (Anatomic Modifier) values. */
  static final SegmentAnatomy.Code TOPOGRAPHICAL_MODIFIER =
      sct("106233006", "Topographical modifier");

  static final SegmentAnatomy.Code ANTERIOR = sct("255549009", "Anterior");
  static final SegmentAnatomy.Code CENTRAL = sct("26216008", "Central");
  static final SegmentAnatomy.Code POSTERIOR = sct("255551008", "Posterior");
  static final SegmentAnatomy.Code MILLIMETRE = new SegmentAnatomy.Code("UCUM", "mm", "millimeter");

  /** One number: its concept, value in mm and the modifier (name, value) that tells it apart. */
  record Num(
      SegmentAnatomy.Code concept,
      double mm,
      SegmentAnatomy.Code modifier,
      SegmentAnatomy.Code modifierValue) {}

  /**
   * One level's group.
   *
   * @param segment its segment number in the referenced SEG, or null (TID 1501)
   * @param image the image it was measured on, or null
   */
  record Group(
      LevelMeasurement level,
      SegmentAnatomy.Code code,
      Integer segment,
      SegmentationSource.SourceImage image,
      List<Num> numbers) {}

  /** The groups of the measured levels with a code, lowest first. */
  static List<Group> groups(MeasurementReportWriter.Request request) {
    List<Group> out = new ArrayList<>();
    for (LevelMeasurement l : request.report().levels()) {
      Integer value = SegmentAnatomy.valueOfLevel(l.name());
      if (value == null || !MeasurementReportWriter.measured(l)) {
        continue; // the sacrum, unnumbered structures, placeholders, nothing measured
      }
      boolean disc = l.kind() == LevelMeasurement.Kind.DISC;
      if (disc != value > 200) {
        continue; // a name that contradicts its kind: never coded as something else
      }
      out.add(
          new Group(
              l,
              SegmentAnatomy.codeOf(value),
              segment(request, value),
              image(request, l),
              numbers(l)));
    }
    return out;
  }

  private static Integer segment(MeasurementReportWriter.Request request, int value) {
    if (request.segmentation() == null
        || !(request.source() instanceof SegmentationSource.DicomSeries)) {
      return null; // TID 1411 names the source series: a volume without DICOM has none
    }
    return request.segmentation().segmentByValue().get(value);
  }

  /** The source image of the level's slice, when the slices are the series' own. */
  private static SegmentationSource.SourceImage image(
      MeasurementReportWriter.Request request, LevelMeasurement l) {
    if (request.source() instanceof SegmentationSource.DicomSeries s
        && request.report().sagittalAxis() == 2
        && l.sliceIndex() != null
        && l.sliceIndex() >= 0
        && l.sliceIndex() < s.slices().size()) {
      return s.slices().get(l.sliceIndex());
    }
    return null;
  }

  private static List<Num> numbers(LevelMeasurement l) {
    List<Num> out = new ArrayList<>();
    Map<SegmentAnatomy.Code, Double> heights = new LinkedHashMap<>();
    heights.put(ANTERIOR, l.anteriorMm());
    heights.put(CENTRAL, l.middleMm());
    heights.put(POSTERIOR, l.posteriorMm());
    heights.forEach(
        (where, mm) -> {
          if (mm != null) {
            out.add(
                new Num(
                    HEIGHT,
                    length(l, where.meaning() + " height", mm),
                    TOPOGRAPHICAL_MODIFIER,
                    where));
          }
        });
    if (l.canalApMm() != null) {
      out.add(
          new Num(
              DIAMETER,
              length(l, "canal diameter", l.canalApMm()),
              FINDING_SITE,
              SegmentAnatomy.VERTEBRAL_CANAL));
    }
    return out;
  }

  /** A length as written (DS, 0.01 mm): finite and not negative, or the report is refused. */
  private static double length(LevelMeasurement l, String what, double mm) {
    if (!Double.isFinite(mm) || mm < 0 || mm > 1e6) {
      throw new IllegalArgumentException(
          l.name() + " " + what + ": " + mm + " mm; a length is finite, 0 to 1e6 mm");
    }
    return mm;
  }

  /** The root container's attributes and its content. */
  static void write(
      DataSetBuilder b, MeasurementReportWriter.Request request, List<Group> groups, String key) {
    SegmentationWriter.Algorithm a = request.algorithm();
    List<DataSet> content = new ArrayList<>();
    content.add(code("HAS CONCEPT MOD", LANGUAGE, ENGLISH));
    content.add(code("HAS OBS CONTEXT", OBSERVER_TYPE, DEVICE));
    content.add(
        uid("HAS OBS CONTEXT", DEVICE_UID, SegmentationUids.of("device", a.name(), a.version())));
    content.add(text("HAS OBS CONTEXT", DEVICE_NAME, a.name()));
    content.add(text("HAS OBS CONTEXT", DEVICE_MANUFACTURER, SegmentationWriter.MANUFACTURER_NAME));
    content.add(text("HAS OBS CONTEXT", DEVICE_MODEL, a.name() + " " + a.version()));
    content.add(code("HAS CONCEPT MOD", PROCEDURE_REPORTED, MRI));
    content.add(imageLibrary(groups));
    List<DataSet> measurements = new ArrayList<>();
    for (Group g : groups) {
      measurements.add(group(request, g, key));
    }
    content.add(container("CONTAINS", IMAGING_MEASUREMENTS, null, measurements));
    DataSet root = container(null, REPORT, "1500", content);
    root.elements().values().forEach(e -> b.copy(e, e.vr()));
  }

  /** TID 1600: the images measured, one group of the source series (empty for a volume). */
  private static DataSet imageLibrary(List<Group> groups) {
    Map<String, SegmentationSource.SourceImage> images = new LinkedHashMap<>();
    for (Group g : groups) {
      if (g.image() != null) {
        images.putIfAbsent(g.image().sopInstanceUid() + "/" + g.image().frameNumber(), g.image());
      }
    }
    List<DataSet> library = new ArrayList<>();
    if (!images.isEmpty()) {
      List<DataSet> entries = new ArrayList<>();
      images.values().forEach(i -> entries.add(image("CONTAINS", null, i, null)));
      library.add(container("CONTAINS", IMAGE_LIBRARY_GROUP, null, entries));
    }
    return container("CONTAINS", IMAGE_LIBRARY, null, library);
  }

  private static DataSet group(MeasurementReportWriter.Request request, Group g, String key) {
    List<DataSet> items = new ArrayList<>();
    items.add(text("HAS OBS CONTEXT", TRACKING_ID, g.code().meaning()));
    items.add(
        uid(
            "HAS OBS CONTEXT",
            TRACKING_UID,
            SegmentationUids.of("tracking", key, g.level().name())));
    items.add(code("CONTAINS", FINDING, g.code()));
    if (g.segment() != null) {
      SegmentationSource.DicomSeries s = (SegmentationSource.DicomSeries) request.source();
      items.add(
          image(
              "CONTAINS",
              REFERENCED_SEGMENT,
              new SegmentationSource.SourceImage(
                  SegmentationObject.SEGMENTATION_STORAGE,
                  request.segmentation().sopInstanceUid(),
                  0),
              g.segment()));
      items.add(uid("CONTAINS", SOURCE_SERIES, s.seriesInstanceUid()));
    }
    items.add(code("HAS CONCEPT MOD", FINDING_SITE, g.code()));
    for (Num n : g.numbers()) {
      items.add(num(n, g.segment() == null ? g.image() : null));
    }
    return container("CONTAINS", MEASUREMENT_GROUP, g.segment() != null ? "1411" : "1501", items);
  }

  /** A NUM in mm with its modifier, and the image it was inferred from (TID 300 / 320). */
  private static DataSet num(Num n, SegmentationSource.SourceImage image) {
    DataSet measured =
        new DataSetBuilder()
            .item(SrTags.MEASUREMENT_UNITS_CODE_SEQUENCE, SegmentationWriter.code(MILLIMETRE))
            .ds(SrTags.NUMERIC_VALUE, 2, n.mm())
            .build();
    List<DataSet> children = new ArrayList<>();
    children.add(code("HAS CONCEPT MOD", n.modifier(), n.modifierValue()));
    if (image != null) {
      children.add(image("INFERRED FROM", null, image, null));
    }
    return item("CONTAINS", "NUM", n.concept())
        .item(SrTags.MEASURED_VALUE_SEQUENCE, measured)
        .sequence(SrTags.CONTENT_SEQUENCE, children)
        .build();
  }

  private static DataSetBuilder item(String relationship, String type, SegmentAnatomy.Code name) {
    DataSetBuilder b = new DataSetBuilder();
    if (relationship != null) {
      b.text(SrTags.RELATIONSHIP_TYPE, VR.CS, relationship);
    }
    b.text(SrTags.VALUE_TYPE, VR.CS, type);
    if (name != null) {
      b.item(SrTags.CONCEPT_NAME_CODE_SEQUENCE, SegmentationWriter.code(name));
    }
    return b;
  }

  private static DataSet container(
      String relationship, SegmentAnatomy.Code name, String template, List<DataSet> content) {
    DataSetBuilder b =
        item(relationship, "CONTAINER", name).text(SrTags.CONTINUITY_OF_CONTENT, VR.CS, "SEPARATE");
    if (template != null) {
      b.item(
          SrTags.CONTENT_TEMPLATE_SEQUENCE,
          new DataSetBuilder()
              .text(SrTags.MAPPING_RESOURCE, VR.CS, "DCMR")
              .text(SrTags.TEMPLATE_IDENTIFIER, VR.CS, template)
              .build());
    }
    if (!content.isEmpty()) {
      b.sequence(SrTags.CONTENT_SEQUENCE, content);
    }
    return b.build();
  }

  private static DataSet code(
      String relationship, SegmentAnatomy.Code name, SegmentAnatomy.Code value) {
    return item(relationship, "CODE", name)
        .item(SrTags.CONCEPT_CODE_SEQUENCE, SegmentationWriter.code(value))
        .build();
  }

  private static DataSet text(String relationship, SegmentAnatomy.Code name, String value) {
    return item(relationship, "TEXT", name)
        .text(SrTags.TEXT_VALUE, VR.UT, SegmentationWriter.limit(value, 1024))
        .build();
  }

  private static DataSet uid(String relationship, SegmentAnatomy.Code name, String value) {
    return item(relationship, "UIDREF", name).text(SrTags.UID, VR.UI, value).build();
  }

  private static DataSet image(
      String relationship,
      SegmentAnatomy.Code name,
      SegmentationSource.SourceImage image,
      Integer segment) {
    DataSetBuilder sop =
        SegmentationFrames.sopReference(image.sopClassUid(), image.sopInstanceUid());
    if (image.frameNumber() > 0) {
      sop.is(SegmentationTags.REFERENCED_FRAME_NUMBER, image.frameNumber());
    }
    if (segment != null) {
      sop.us(DicomTag.REFERENCED_SEGMENT_NUMBER.tag(), segment);
    }
    return item(relationship, "IMAGE", name)
        .item(SrTags.REFERENCED_SOP_SEQUENCE, sop.build())
        .build();
  }
}
