package io.spineflow.preprocess.slicing;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of slicing one study: the slices kept and how many were dropped for each reason.
 *
 * @param sourceSlices sagittal slices in the study
 * @param droppedByReason dropped slice counts by reason code (sorted by code)
 */
public record SlicedStudy(
    SagittalAxis sagittalAxis,
    Reorientation orientation,
    boolean labelled,
    int sourceSlices,
    List<SagittalSlice> slices,
    Map<String, Integer> droppedByReason) {

  public SlicedStudy {
    slices = List.copyOf(slices);
    droppedByReason = Collections.unmodifiableMap(new TreeMap<>(droppedByReason));
  }

  public int dropped() {
    return droppedByReason.values().stream().mapToInt(Integer::intValue).sum();
  }
}
