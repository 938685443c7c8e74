package io.spineflow.cli.studies;

import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.IntensityNormaliser;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SliceFilter;
import io.spineflow.preprocess.slicing.SlicedStudy;
import io.spineflow.preprocess.slicing.SpineRegion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Preprocesses a labelled study exactly as the pipeline does (reorientation, label merge, in-plane
 * resampling, intensity normalisation) into <em>every</em> sagittal slice, each with its {@link
 * SliceLabelScope} and whether it lies in the spine region. No slice is dropped: the filters that
 * need a complete label (MISSING_CLASS, IMBALANCED) would drop every slice of a partial one, and
 * evaluation must not choose its slices by the label.
 */
public final class LabelledStudySlicer {
  private final SagittalSlicer slicer;
  private final SpineRegion spineRegion;
  private final MetaImageReader reader = new MetaImageReader();

  /**
   * @param config the pipeline's preprocessing (slice size, intensity window, spine region); its
   *     slice filters are not applied
   */
  public LabelledStudySlicer(PreprocessConfig config) {
    this.spineRegion = new SpineRegion(config.filterSpineRegion(), config.spineHalfWidthMm());
    this.slicer =
        new SagittalSlicer(
            config.sliceWidth(),
            config.sliceHeight(),
            new IntensityNormaliser(config.lowerPercentile(), config.upperPercentile()),
            new SliceFilter(false, false, Double.MAX_VALUE),
            new SpineRegion(false, 0));
  }

  /**
   * Every slice of {@code study}, in reoriented order (patient right → left).
   *
   * @throws io.spineflow.preprocess.slicing.StudyRejectedException when preprocess would reject it
   * @throws io.spineflow.imaging.metaimage.MetaImageException for an unreadable file
   */
  public List<ScopedSlice> slice(LabelledStudyFile study) throws IOException {
    // The scope is preprocess's own (StudyLabelScope), so evaluation scores exactly the rows the
    // pipeline and training treat as labelled.
    SlicedStudy sliced =
        slicer.slice(
            reader.read(study.image()).image(),
            reader.read(study.mask()).image(),
            study.complete() ? null : study.coverage());
    List<ScopedSlice> scoped = new ArrayList<>(sliced.slices().size());
    for (SagittalSlice s : sliced.slices()) {
      SliceLabelScope scope = s.labelScope() != null ? s.labelScope() : SliceLabelScope.COMPLETE;
      scoped.add(
          new ScopedSlice(s, scope, spineRegion.contains(sliced.orientation(), s.sliceIndex())));
    }
    return List.copyOf(scoped);
  }
}
