package io.spineflow.imaging.dicom;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects each frame's {@link FrameAttributes}. An Enhanced MR image keeps them in functional
 * group macros: a frame's own item of the Per-frame Functional Groups Sequence wins over the Shared
 * Functional Groups Sequence's item, which wins over an attribute of the data set itself (which is
 * where a classic single-frame image keeps them).
 */
final class FunctionalGroups {
  private final DataSet data;
  private final DataSet shared;

  private FunctionalGroups(DataSet data) {
    this.data = data;
    List<DataSet> sharedItems = data.sequence(DicomTag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    this.shared = sharedItems.isEmpty() ? null : sharedItems.get(0);
  }

  static List<FrameAttributes> frames(DataSet data, int frames) throws DicomException {
    DicomTag perFrameTag = DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE;
    List<DataSet> perFrame = data.sequence(perFrameTag);
    if (!perFrame.isEmpty() && perFrame.size() != frames) {
      throw Values.invalid(
          perFrameTag, perFrame.size() + " items for " + frames + " frames (NumberOfFrames)");
    }
    FunctionalGroups groups = new FunctionalGroups(data);
    List<FrameAttributes> out = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      out.add(groups.frame(perFrame.isEmpty() ? null : perFrame.get(i)));
    }
    return out;
  }

  private FrameAttributes frame(DataSet own) throws DicomException {
    DataSet position = macro(own, DicomTag.PLANE_POSITION_SEQUENCE);
    DataSet orientation = macro(own, DicomTag.PLANE_ORIENTATION_SEQUENCE);
    DataSet measures = macro(own, DicomTag.PIXEL_MEASURES_SEQUENCE);
    DataSet transformation = macro(own, DicomTag.PIXEL_VALUE_TRANSFORMATION_SEQUENCE);
    DataSet content = macro(own, DicomTag.FRAME_CONTENT_SEQUENCE);
    Double slope = single(transformation, DicomTag.RESCALE_SLOPE);
    Double intercept = single(transformation, DicomTag.RESCALE_INTERCEPT);
    long[] dimensions = content == null ? null : content.integers(DicomTag.DIMENSION_INDEX_VALUES);
    double s = slope == null ? 1 : slope;
    double b = intercept == null ? 0 : intercept;
    // Stored values are below 2^16 in magnitude: beyond this a rescaled value is no float.
    if (Math.abs(s) * 65536 + Math.abs(b) > Float.MAX_VALUE) {
      throw Values.invalid(
          DicomTag.RESCALE_SLOPE, "slope " + s + " and intercept " + b + " leave the float range");
    }
    return new FrameAttributes(
        decimals(position, DicomTag.IMAGE_POSITION_PATIENT, 3),
        decimals(orientation, DicomTag.IMAGE_ORIENTATION_PATIENT, 6),
        decimals(measures, DicomTag.PIXEL_SPACING, 2),
        single(measures, DicomTag.SLICE_THICKNESS),
        single(measures, DicomTag.SPACING_BETWEEN_SLICES),
        s,
        b,
        content == null ? null : content.integer(DicomTag.IN_STACK_POSITION_NUMBER),
        content == null ? null : content.integer(DicomTag.TEMPORAL_POSITION_INDEX),
        dimensions == null || dimensions.length == 0 ? null : dimensions);
  }

  /** The first item of a functional group macro's sequence, the frame's own or else the shared. */
  private DataSet macro(DataSet own, DicomTag sequence) {
    for (DataSet group : new DataSet[] {own, shared}) {
      if (group != null && !group.sequence(sequence).isEmpty()) {
        return group.sequence(sequence).get(0);
      }
    }
    return null;
  }

  /** Exactly {@code count} values from the macro item, else the data set; null when in neither. */
  private double[] decimals(DataSet macro, DicomTag tag, int count) throws DicomException {
    double[] values = macro != null ? macro.decimals(tag) : new double[0];
    if (values.length == 0) {
      values = data.decimals(tag);
    }
    if (values.length == 0) {
      return null;
    }
    if (values.length != count) {
      throw Values.invalid(tag, values.length + " values, not " + count);
    }
    return values;
  }

  private Double single(DataSet macro, DicomTag tag) throws DicomException {
    double[] values = decimals(macro, tag, 1);
    return values == null ? null : values[0];
  }
}
