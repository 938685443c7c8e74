package io.spineflow.trainer;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.training.SliceRef;
import io.spineflow.model.training.TrainingSet;
import io.spineflow.model.training.ValidationScores;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The slices of a set that belong to the quality floor's pinned reference studies. */
final class ReferenceSet implements TrainingSet {
  private final TrainingSet all;
  private final int[] indexes;

  private ReferenceSet(TrainingSet all, int[] indexes) {
    this.all = all;
    this.indexes = indexes;
  }

  /** The slices of {@code all} whose study is one of {@code studies}, in {@code all}'s order. */
  static ReferenceSet of(TrainingSet all, Set<String> studies) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (studies.contains(all.ref(i).studyUid())) {
        kept.add(i);
      }
    }
    return new ReferenceSet(all, kept.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Scores with every class undefined: what an empty reference set yields. */
  static ValidationScores undefined() {
    Map<SpineClass, Double> nan = new EnumMap<>(SpineClass.class);
    for (SpineClass c : SpineClass.values()) {
      nan.put(c, Double.NaN);
    }
    return new ValidationScores(nan, nan, 0);
  }

  @Override
  public int size() {
    return indexes.length;
  }

  @Override
  public SliceRef ref(int index) {
    return all.ref(indexes[index]);
  }

  @Override
  public LabelledSlice load(int index) {
    return all.load(indexes[index]);
  }
}
