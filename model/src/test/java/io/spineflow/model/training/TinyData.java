package io.spineflow.model.training;

import io.spineflow.model.DjlEngine;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.SyntheticSlices;
import io.spineflow.model.UNetConfig;
import java.util.ArrayList;
import java.util.List;

/** A tiny model and synthetic spine-like studies for fast training tests. */
final class TinyData {
  /** 64x64 slices, base width 8, 3 downsamplings: ~0.1 s a step of 8 on one core. */
  static final UNetConfig TINY =
      UNetConfig.profile("cpu").withWidths(8, 3, 64).withInputSize(64, 64);

  /** One intra-op thread: the machine is shared, and PyTorch's pool suffers under contention. */
  static final int THREADS = 1;

  /** Slices per synthetic study. */
  static final int SLICES_PER_STUDY = 6;

  private TinyData() {}

  static void startEngine() {
    DjlEngine.ensureStarted(THREADS);
  }

  /** The {@code count} study UIDs {@code prefix-0..} that fall on one side of {@code split}. */
  static List<String> uids(String prefix, StudySplit split, boolean validation, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      String uid = prefix + "-" + i;
      if (split.isValidation(uid) == validation) {
        out.add(uid);
      }
    }
    return out;
  }

  /** A set of {@link #SLICES_PER_STUDY} synthetic slices per study, seeded from its UID. */
  static TrainingSet set(List<String> uids) {
    List<SliceRef> refs = new ArrayList<>();
    List<LabelledSlice> slices = new ArrayList<>();
    for (String uid : uids) {
      List<LabelledSlice> study =
          SyntheticSlices.generate(SLICES_PER_STUDY, 64, 64, 1000 + uid.hashCode());
      for (int i = 0; i < study.size(); i++) {
        refs.add(new SliceRef(uid, i, "T2", 300.0 / 64, 300.0 / 64));
        slices.add(study.get(i));
      }
    }
    return TrainingSet.inMemory(refs, slices);
  }
}
