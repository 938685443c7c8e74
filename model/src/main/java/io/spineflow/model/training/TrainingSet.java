package io.spineflow.model.training;

import io.spineflow.model.LabelledSlice;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An indexed, read-only set of labelled slices: the training or the validation half of the data.
 *
 * <p>Slices are loaded on demand ({@link #load}), so a set backed by the trainer's disk cache holds
 * only its index on the heap, not thousands of 80 KB slices. {@link #inMemory} wraps slices already
 * on the heap (tests, benchmarks).
 *
 * <p>Implementations must be safe to read from one thread at a time; {@link #load} may do I/O.
 */
public interface TrainingSet {

  /** Number of slices. */
  int size();

  /** Where slice {@code index} came from (cheap: no I/O). */
  SliceRef ref(int index);

  /**
   * The slice's pixels and labels.
   *
   * @throws java.io.UncheckedIOException if a cached slice cannot be read
   */
  LabelledSlice load(int index);

  /** Whether there is no slice at all. */
  default boolean isEmpty() {
    return size() == 0;
  }

  /** The distinct studies of the set, sorted. */
  default SortedSet<String> studyUids() {
    SortedSet<String> out = new TreeSet<>();
    for (int i = 0; i < size(); i++) {
      out.add(ref(i).studyUid());
    }
    return out;
  }

  /**
   * A set over slices already in memory.
   *
   * @param refs where each slice came from
   * @param slices the slices, in the same order (not copied)
   */
  static TrainingSet inMemory(List<SliceRef> refs, List<LabelledSlice> slices) {
    if (refs.size() != slices.size()) {
      throw new IllegalArgumentException(refs.size() + " refs for " + slices.size() + " slices");
    }
    List<SliceRef> r = List.copyOf(refs);
    List<LabelledSlice> s = List.copyOf(slices);
    return new TrainingSet() {
      @Override
      public int size() {
        return r.size();
      }

      @Override
      public SliceRef ref(int index) {
        return r.get(index);
      }

      @Override
      public LabelledSlice load(int index) {
        return s.get(index);
      }
    };
  }
}
