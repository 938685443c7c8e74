package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SegmentationTrainerTest {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentationTrainerTest.class);
  private static final UNetConfig TINY =
      UNetConfig.profile("cpu").withWidths(8, 3, 64).withInputSize(64, 64);

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @Test
  void aNonFiniteStepIsDroppedAndLeavesWeightsAndBatchNormStatisticsAsTheyWere() {
    List<LabelledSlice> data = SyntheticSlices.generate(8, 64, 64, 2);
    PoisonableLoss loss = new PoisonableLoss(Losses.named("focal-dice"));
    try (SegmentationTrainer trainer =
        SegmentationTrainer.builder()
            .setConfig(TINY)
            .optLoss(loss)
            .optLearningRate(1e-3f)
            .optSeed(5)
            .optDevice(Device.cpu())
            .build()) {
      assertThat(trainer.step(data.subList(0, 4)).applied()).isTrue();
      Map<String, float[]> before = parameters(trainer);

      loss.poisoned = true;
      TrainingStepResult dropped = trainer.step(data.subList(4, 8));
      assertThat(dropped.applied()).isFalse();
      assertThat(dropped.isFinite()).isFalse();
      assertThat(trainer.steps()).isEqualTo(1);
      assertThat(trainer.skippedSteps()).isEqualTo(1);
      Map<String, float[]> afterDropped = parameters(trainer);
      assertThat(afterDropped.keySet())
          .as("running statistics are among the compared parameters")
          .anyMatch(k -> k.contains("runningMean"));
      before.forEach(
          (name, values) -> assertThat(afterDropped.get(name)).as(name).containsExactly(values));

      // The NaN gradients were overwritten: the next ordinary step updates to finite weights.
      loss.poisoned = false;
      TrainingStepResult next = trainer.step(data.subList(4, 8));
      assertThat(next.applied()).isTrue();
      assertThat(next.step()).isEqualTo(2);
      Map<String, float[]> afterNext = parameters(trainer);
      afterNext.forEach(
          (name, values) -> {
            for (float v : values) {
              assertThat(Float.isFinite(v)).as(name + " finite").isTrue();
            }
          });
      assertThat(afterNext.entrySet())
          .as("the ordinary step changed the weights")
          .anyMatch(e -> !Arrays.equals(e.getValue(), before.get(e.getKey())));
    }
  }

  /** Every parameter's values by name, running statistics included. */
  private static Map<String, float[]> parameters(SegmentationTrainer trainer) {
    Map<String, float[]> out = new TreeMap<>();
    for (Pair<String, Parameter> p : trainer.model().getBlock().getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** The focal-Dice loss, or NaN while {@link #poisoned}: a batch whose loss is not finite. */
  private static final class PoisonableLoss extends Loss implements PartialLabelLoss {
    private final Loss inner;
    boolean poisoned;

    PoisonableLoss(Loss inner) {
      super("poisonable-" + inner.getName());
      this.inner = inner;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray value = inner.evaluate(labels, predictions);
      return poisoned ? value.mul(Float.NaN) : value;
    }
  }

  @Test
  void lossFallsAndNativeMemoryStaysBounded() {
    List<LabelledSlice> data = SyntheticSlices.generate(40, 64, 64, 1);
    List<Float> losses = new ArrayList<>();
    long arraysAtStep10 = 0;
    long rssAtStep10 = 0;
    Segmentation earlyPrediction = null;
    try (SegmentationTrainer trainer =
        SegmentationTrainer.builder()
            .setConfig(TINY)
            .optLearningRate(1e-3f)
            .optSeed(3)
            .optDevice(Device.cpu())
            .build()) {
      for (int step = 1; step <= 30; step++) {
        int from = (step * 4) % (data.size() - 4);
        TrainingStepResult r = trainer.step(data.subList(from, from + 4));
        assertThat(r.isFinite()).isTrue();
        assertThat(r.step()).isEqualTo(step);
        losses.add(r.loss());
        if (step == 10) {
          arraysAtStep10 = openArrays(trainer);
          rssAtStep10 = rssKiB();
          earlyPrediction = trainer.predict(List.of(data.get(0).input())).get(0);
        }
      }
      long arraysAtStep30 = openArrays(trainer);
      long rssAtStep30 = rssKiB();
      // The allocator's pools fill over the first ~45 steps (the partial-label loss has more
      // intermediates than the plain one): RSS is compared after that warm-up.
      long rssAtStep60 = rssAtStep30;
      for (int step = 31; step <= 90; step++) {
        int from = (step * 4) % (data.size() - 4);
        trainer.step(data.subList(from, from + 4));
        if (step == 60) {
          rssAtStep60 = rssKiB();
        }
      }
      long rssAtStep90 = rssKiB();
      LOG.info(
          "losses {}; open arrays {} -> {}; RSS {} -> {} MiB",
          losses,
          arraysAtStep10,
          arraysAtStep30,
          rssAtStep10 / 1024,
          rssAtStep30 / 1024);

      float first = mean(losses.subList(0, 5));
      float last = mean(losses.subList(25, 30));
      assertThat(last).as("mean loss of steps 26-30 vs 1-5").isLessThan(0.8f * first);
      // Every batch's arrays are freed with its sub-manager: the count of live arrays (weights,
      // gradients, optimiser state) is the same after step 30 as after step 10.
      assertThat(arraysAtStep30).isEqualTo(arraysAtStep10);
      // Process memory may wobble with the allocator, but must not grow step by step (without
      // sub-managers it grows by tens of MB per step here).
      assertThat(rssAtStep90 - rssAtStep60).as("RSS growth KiB").isLessThan(64 * 1024);

      // predict() sees the current weights, not a copy taken when its predictor was created.
      List<Segmentation> predicted = trainer.predict(List.of(data.get(0).input()));
      assertThat(predicted).hasSize(1);
      assertThat(predicted.get(0).probabilities()).isNotEqualTo(earlyPrediction.probabilities());
      assertThat(trainer.evaluateLoss(data.subList(0, 4))).isFinite();
    }
  }

  @Test
  void sameSeedGivesSameInitialWeightsAndFirstLoss() {
    List<LabelledSlice> batch = SyntheticSlices.generate(2, 64, 64, 5);
    float[] first = new float[2];
    float[] sampleWeights = null;
    for (int run = 0; run < 2; run++) {
      try (SegmentationTrainer trainer =
          SegmentationTrainer.builder().setConfig(TINY.withDropout(0f)).optSeed(11).build()) {
        float[] w =
            trainer.model().getBlock().getParameters().get(0).getValue().getArray().toFloatArray();
        if (sampleWeights == null) {
          sampleWeights = w;
        } else {
          assertThat(w).containsExactly(sampleWeights);
        }
        first[run] = trainer.step(batch).loss();
      }
    }
    assertThat(first[1]).isEqualTo(first[0]);
  }

  @Test
  void inceptionVariantTrainsWithTheAuxiliaryLoss() {
    UNetConfig inception = TINY.withVariant(UNetVariant.INCEPTION_UNET);
    try (SegmentationTrainer trainer =
        SegmentationTrainer.builder()
            .setConfig(inception)
            .optLoss(Losses.named("ce-dice"))
            .build()) {
      assertThat(trainer.loss()).isInstanceOf(AuxiliaryOutputLoss.class);
      TrainingStepResult r = trainer.step(SyntheticSlices.generate(2, 64, 64, 9));
      assertThat(r.isFinite()).isTrue();
      assertThat(trainer.predict(List.of(SyntheticSlices.generate(1, 64, 64, 2).get(0).input())))
          .singleElement()
          .satisfies(s -> assertThat(s.classCount()).isEqualTo(4));
    }
  }

  @Test
  void rejectsBadBatches() {
    try (SegmentationTrainer trainer = SegmentationTrainer.builder().setConfig(TINY).build()) {
      assertThatThrownBy(() -> trainer.step(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty batch");
      LabelledSlice wrongSize = SyntheticSlices.generate(1, 32, 32, 1).get(0);
      assertThatThrownBy(() -> trainer.step(List.of(wrongSize)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32×32")
          .hasMessageContaining("64×64");
      LabelledSlice good = SyntheticSlices.generate(1, 64, 64, 1).get(0);
      byte[] labels = good.labels().clone();
      labels[5] = 4;
      assertThatThrownBy(
              () -> trainer.step(List.of(new LabelledSlice(good.pixels(), labels, 64, 64))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("label 4");
    }
  }

  @Test
  void warmStartCopiesStoredWeights(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException, ModelRejectedException {
    ModelStore store = new ModelStore(dir);
    StoredModel stored;
    List<LabelledSlice> batch = SyntheticSlices.generate(2, 64, 64, 4);
    try (SegmentationTrainer trainer = SegmentationTrainer.builder().setConfig(TINY).build()) {
      trainer.step(batch);
      stored = trainer.saveTo(store, "warm", 1, java.util.Map.of());
    }
    try (SegmentationModel loaded = store.load("warm", 1, stored.sha256(), TINY);
        SegmentationTrainer resumed =
            SegmentationTrainer.builder()
                .setConfig(TINY)
                .optSeed(99)
                .optInitialWeights(loaded)
                .build()) {
      SliceInput probe = batch.get(0).input();
      Segmentation fromStore;
      try (var predictor = loaded.newPredictor()) {
        fromStore = predictor.predict(probe);
      } catch (ai.djl.translate.TranslateException e) {
        throw new AssertionError(e);
      }
      assertThat(resumed.predict(List.of(probe)).get(0).probabilities())
          .containsExactly(fromStore.probabilities(), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  private static long openArrays(SegmentationTrainer trainer) {
    return ((BaseNDManager) trainer.model().getNDManager()).getManagedArrays().size();
  }

  /** Resident set size of this process, from /proc (Linux), in KiB; 0 elsewhere. */
  private static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static float mean(List<Float> values) {
    float sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.size();
  }
}
