package io.spineflow.cli.studies;

import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.LabelledSlice;
import io.spineflow.preprocess.slicing.SagittalSlice;

/**
 * A preprocessed slice of a labelled study with where its label is known.
 *
 * @param slice the slice as the pipeline preprocesses it (its label never null)
 * @param scope the classes and rows its label labels
 * @param inSpineRegion true when the slice lies in the central sagittal band the pipeline keeps for
 *     unlabelled studies ({@link io.spineflow.preprocess.slicing.SpineRegion})
 */
public record ScopedSlice(SagittalSlice slice, SliceLabelScope scope, boolean inSpineRegion) {
  /** The slice as a training example. */
  public LabelledSlice labelled() {
    return new LabelledSlice(slice.pixels(), slice.label(), slice.width(), slice.height(), scope);
  }
}
