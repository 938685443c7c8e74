package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.LabelledClass;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.training.SliceRef;
import io.spineflow.model.training.StudySplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceCacheTest {

  @TempDir Path dir;

  /** A study's examples with recognisable pixels: value = (study, slice, pixel) mixed. */
  static List<PhantomSlices.Example> study(String uid, int slices, int size) {
    List<PhantomSlices.Example> out = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      float[] pixels = new float[size * size];
      byte[] labels = new byte[size * size];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = ((uid.hashCode() & 0xff) + 7 * s + i % 13) / 1000f;
        labels[i] = (byte) ((i + s) % 4);
      }
      out.add(
          new PhantomSlices.Example(
              uid, 10 + s, Sequence.T2, new LabelledSlice(pixels, labels, size, size)));
    }
    return out;
  }

  /** UIDs on each side of a 0.2 split. */
  static List<String> uids(StudySplit split, boolean validation, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      String uid = "study-" + i;
      if (split.isValidation(uid) == validation) {
        out.add(uid);
      }
    }
    return out;
  }

  @Test
  void aStudyIsUsableOnceItsSummaryAndEverySliceArrivedInAnyOrder() throws Exception {
    SliceCache cache = SliceCache.open(dir);
    List<PhantomSlices.Example> a = study("a", 3, 8);
    cache.putSlice(PhantomSlices.event(a.get(0), true));
    assertThat(cache.putSummary(PhantomSlices.summary("a", a, true))).isFalse();
    cache.putSlice(PhantomSlices.event(a.get(1), true));
    assertThat(cache.completeStudies()).isZero();
    cache.putSlice(PhantomSlices.event(a.get(2), true));
    assertThat(cache.completeStudies()).isEqualTo(1);

    List<PhantomSlices.Example> b = study("b", 2, 8);
    for (Slice s : PhantomSlices.events(b, true)) {
      cache.putSlice(s);
    }
    assertThat(cache.putSummary(PhantomSlices.summary("b", b, true))).isTrue();
    assertThat(cache.completeStudies()).isEqualTo(2);
    assertThat(cache.cachedSlices()).isEqualTo(5);
  }

  @Test
  void unlabelledSlicesAndStudiesAreIgnored() throws Exception {
    SliceCache cache = SliceCache.open(dir);
    List<PhantomSlices.Example> u = study("u", 2, 8);
    for (Slice s : PhantomSlices.events(u, false)) {
      assertThat(cache.putSlice(s)).isFalse();
    }
    cache.putSummary(PhantomSlices.summary("u", u, false));
    assertThat(cache.cachedSlices()).isZero();
    assertThat(cache.completeStudies()).isZero();
  }

  @Test
  void snapshotSplitsByStudyAndReadsSlicesBackExactly() throws Exception {
    StudySplit split = new StudySplit(0.2);
    SliceCache cache = SliceCache.open(dir);
    List<String> train = uids(split, false, 3);
    List<String> validation = uids(split, true, 1);
    List<PhantomSlices.Example> all = new ArrayList<>();
    for (String uid : concat(train, validation)) {
      List<PhantomSlices.Example> s = study(uid, 2, 8);
      all.addAll(s);
      for (Slice e : PhantomSlices.events(s, true)) {
        cache.putSlice(e);
      }
      cache.putSummary(PhantomSlices.summary(uid, s, true));
    }
    // A slice of another size (another profile's preprocess) is left out, not trained on.
    String v = validation.get(0);
    PhantomSlices.Example odd =
        new PhantomSlices.Example(v, 99, Sequence.T2, study(v, 1, 16).get(0).slice());
    cache.putSlice(PhantomSlices.event(odd, true));
    List<PhantomSlices.Example> withOdd = new ArrayList<>(study(v, 2, 8));
    withOdd.add(odd);
    cache.putSummary(PhantomSlices.summary(v, withOdd, true));
    cache.saveOffsets(Map.of("slices:0", 12L, "slices:1", 3L, "slices.summary:0", 4L));

    SliceCache.Snapshot snap = cache.snapshot(split, 8, 8, "slices");
    assertThat(snap.train().studyUids()).containsExactlyInAnyOrderElementsOf(train);
    assertThat(snap.validation().studyUids()).containsExactlyElementsOf(validation);
    assertThat(snap.train().size()).isEqualTo(6);
    assertThat(snap.validation().size()).isEqualTo(2);
    assertThat(snap.sliceOffsets()).isEqualTo(Map.of(0, 12L, 1, 3L));
    assertThat(snap.completeStudies()).isEqualTo(4);
    assertThat(snap.skippedSlices()).isEqualTo(1);
    for (int i = 0; i < snap.train().size(); i++) {
      SliceRef ref = snap.train().ref(i);
      PhantomSlices.Example original =
          all.stream()
              .filter(
                  e -> e.studyUid().equals(ref.studyUid()) && e.sliceIndex() == ref.sliceIndex())
              .findFirst()
              .orElseThrow();
      assertThat(snap.train().load(i)).isEqualTo(original.slice());
      assertThat(ref.sequence()).isEqualTo("T2");
      assertThat(ref.columnSpacingMm()).isEqualTo(300.0 / 8);
    }

    // Reopened from disk (a restart): same index, same offsets, same snapshot.
    SliceCache reopened = SliceCache.open(dir);
    assertThat(reopened.completeStudies()).isEqualTo(4);
    assertThat(reopened.offset("slices", 0)).isEqualTo(12L);
    assertThat(reopened.offset("slices.summary", 1)).isNull();
    SliceCache.Snapshot again = reopened.snapshot(split, 8, 8, "slices");
    assertThat(again.train().size()).isEqualTo(6);
    assertThat(again.train().load(3)).isEqualTo(snap.train().load(3));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void aPartialLabelKeepsItsScopeThroughTheCacheAndUnknownClassesAreIgnored() throws Exception {
    SliceCache cache = SliceCache.open(dir);
    SliceLabelScope discs = new SliceLabelScope(EnumSet.of(LabelledStructure.DISCS), 2, 5);
    List<PhantomSlices.Example> a = PhantomSlices.partial(study("a", 2, 8), discs);
    List<PhantomSlices.Example> b = study("b", 1, 8);
    for (PhantomSlices.Example e : a) {
      Slice event = PhantomSlices.event(e, true);
      // A class from a newer writer (OTHER) is read as not labelled.
      event.getLabelScope().setClasses(List.of(LabelledClass.DISCS, LabelledClass.OTHER));
      assertThat(cache.putSlice(event)).isTrue();
    }
    cache.putSlice(PhantomSlices.event(b.get(0), true));
    cache.putSummary(PhantomSlices.summary("a", a, true));
    cache.putSummary(PhantomSlices.summary("b", b, true));

    // Read back after a restart: the partial study keeps its scope, the complete one stays
    // complete.
    SliceCache reopened = SliceCache.open(dir);
    SliceCache.Snapshot snapshot = reopened.snapshot(new StudySplit(0.0), 8, 8, "slices");
    List<LabelledSlice> loaded = new ArrayList<>();
    for (int i = 0; i < snapshot.train().size(); i++) {
      loaded.add(snapshot.train().load(i));
    }
    assertThat(loaded).hasSize(3);
    assertThat(loaded)
        .filteredOn(s -> !s.completelyLabelled())
        .hasSize(2)
        .allMatch(s -> s.scope().equals(discs));
    assertThat(loaded).filteredOn(LabelledSlice::completelyLabelled).hasSize(1);

    // A scope naming no class this trainer knows labels nothing: the slice is not kept.
    Slice unknown = PhantomSlices.event(a.get(0), true);
    unknown.getLabelScope().setClasses(List.of(LabelledClass.OTHER));
    assertThat(cache.putSlice(unknown)).isFalse();
  }
}
