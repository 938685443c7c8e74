package io.spineflow.results;

import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import java.util.List;

/**
 * Everything one study revision's result is made of, once complete.
 *
 * @param header the study without voxels ({@link ResultPart.Header})
 * @param slices one per slice index preprocess emitted, in the summary's order
 */
record RevisionInputs(Study header, SliceSummary summary, List<SliceInputs> slices) {
  RevisionInputs {
    slices = List.copyOf(slices);
  }

  /** One emitted slice: its geometry (no pixels), its mask and its quality record. */
  record SliceInputs(Slice slice, Mask mask, Quality quality) {}
}
