package io.spineflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.Segmentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {

  /** 4x4 slices: two columns of vertebrae, one of canal; the second slice also has a disc row. */
  private static TrainingSet set() {
    byte[] a = {1, 1, 2, 0, 1, 1, 2, 0, 1, 1, 2, 0, 1, 1, 2, 0};
    byte[] b = {1, 1, 2, 0, 3, 3, 2, 0, 1, 1, 2, 0, 1, 1, 2, 0};
    List<SliceRef> refs = new ArrayList<>();
    List<LabelledSlice> slices = new ArrayList<>();
    for (byte[] labels : List.of(a, b)) {
      refs.add(new SliceRef("s", refs.size(), "T1", 1, 1));
      slices.add(new LabelledSlice(new float[16], labels, 4, 4));
    }
    return TrainingSet.inMemory(refs, slices);
  }

  private static Segmentation segmentation(byte[] classes) {
    return new Segmentation(classes, new float[classes.length * 4], 4, 4);
  }

  @Test
  void perfectPredictionsScoreOne() {
    TrainingSet set = set();
    List<byte[]> truth = List.of(set.load(0).labels(), set.load(1).labels());
    int[] call = {0};
    ValidationScores s =
        Validation.evaluate(
            inputs -> inputs.stream().map(in -> segmentation(truth.get(call[0]++))).toList(),
            set,
            1);
    assertThat(s.slices()).isEqualTo(2);
    assertThat(s.dice(SpineClass.VERTEBRAE)).isEqualTo(1.0);
    assertThat(s.dice(SpineClass.DISCS)).isEqualTo(1.0); // defined on slice 2 only
    assertThat(s.meanDice()).isEqualTo(1.0);
    assertThat(s.meanIou()).isEqualTo(1.0);
    assertThat(s.toMetrics())
        .containsEntry("dice.vertebrae", 1.0)
        .containsEntry("dice.spinal_canal", 1.0)
        .containsEntry("dice.discs", 1.0)
        .containsEntry("dice.mean", 1.0)
        .containsEntry("miou", 1.0);
  }

  @Test
  void perClassDiceIsTheMeanOverSlicesWhereTheClassIsDefined() {
    TrainingSet set = set();
    // Everything predicted as vertebrae: slice 1 Dice(vertebrae) = 2*8/(8+16) = 2/3, slice 2 =
    // 2*6/(6+16) = 6/11; canal and discs 0 where labelled; background 0 (never predicted).
    byte[] allVertebrae = new byte[16];
    java.util.Arrays.fill(allVertebrae, (byte) 1);
    ValidationScores s =
        Validation.evaluate(
            inputs -> inputs.stream().map(in -> segmentation(allVertebrae)).toList(), set, 2);
    assertThat(s.dice(SpineClass.VERTEBRAE)).isCloseTo((2.0 / 3 + 6.0 / 11) / 2, within(1e-12));
    assertThat(s.dice(SpineClass.SPINAL_CANAL)).isZero();
    assertThat(s.dice(SpineClass.DISCS)).isZero();
    assertThat(s.meanDice()).isCloseTo(s.dice(SpineClass.VERTEBRAE) / 3, within(1e-12));
    assertThat(s.minForegroundDice()).isZero();
    // Every dice.* metric is a foreground one: their plain average is dice.mean (what the
    // dashboard computes from an announcement's metrics).
    Map<String, Double> metrics = s.toMetrics();
    assertThat(metrics).doesNotContainKey("dice.background").containsKey("iou.background");
    double average =
        metrics.entrySet().stream()
            .filter(e -> e.getKey().startsWith("dice"))
            .mapToDouble(Map.Entry::getValue)
            .average()
            .orElseThrow();
    assertThat(average).isCloseTo(metrics.get("dice.mean"), within(1e-12));
  }

  @Test
  void partialLabelsScoreOnlyTheirClassesAndAClassNoSliceLabelsIsUndefined() {
    // Both slices label the discs only: the vertebrae and canal in the masks are not scored, and
    // neither is the background (a 0 may be an unlabelled structure).
    byte[] discs = {0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    io.spineflow.imaging.labels.SliceLabelScope scope =
        new io.spineflow.imaging.labels.SliceLabelScope(
            java.util.EnumSet.of(io.spineflow.imaging.labels.LabelledStructure.DISCS), 0, 3);
    List<SliceRef> refs =
        List.of(new SliceRef("p", 0, "T1", 1, 1), new SliceRef("p", 1, "T1", 1, 1));
    List<LabelledSlice> slices =
        List.of(
            new LabelledSlice(new float[16], discs, 4, 4, scope),
            new LabelledSlice(new float[16], discs, 4, 4, scope));
    // The model paints vertebrae everywhere but on the discs: right for discs; for the unlabelled
    // vertebrae it would score 0 if they were wrongly counted as background.
    byte[] predicted = discs.clone();
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == 0) {
        predicted[i] = 1;
      }
    }
    ValidationScores s =
        Validation.evaluate(
            inputs -> inputs.stream().map(in -> segmentation(predicted)).toList(),
            TrainingSet.inMemory(refs, slices),
            2);
    assertThat(s.dice(SpineClass.DISCS)).isEqualTo(1.0);
    assertThat(s.defined(SpineClass.VERTEBRAE)).isFalse();
    assertThat(s.defined(SpineClass.SPINAL_CANAL)).isFalse();
    assertThat(s.meanDice()).isEqualTo(1.0);
    assertThat(s.toMetrics())
        .containsEntry("dice.discs", 1.0)
        .doesNotContainKeys("dice.vertebrae", "dice.spinal_canal", "iou.background");
  }
}
