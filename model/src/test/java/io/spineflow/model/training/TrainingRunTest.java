package io.spineflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TrainingRun} end to end on a tiny model and synthetic slices, no Kafka. */
class TrainingRunTest {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRunTest.class);
  private static final StudySplit SPLIT = new StudySplit(0.2);
  private static final int EPOCHS = 20;
  private static TrainingSet train;
  private static TrainingSet validation;
  private static Path baseDir;
  private static TrainingResult result;
  private static final List<ProgressListener.Step> steps = new ArrayList<>();
  private static final List<ProgressListener.Evaluation> evaluations = new ArrayList<>();
  private static final ProgressListener.Start[] start = new ProgressListener.Start[1];

  @TempDir Path dir;

  /** The run most tests look at: 20 epochs of the tiny model (~100 steps, ~10 s). */
  @BeforeAll
  static void trainOnce(@TempDir Path checkpoints) {
    TinyData.startEngine();
    train = TinyData.set(TinyData.uids("run", SPLIT, false, 5));
    validation = TinyData.set(TinyData.uids("run", SPLIT, true, 2));
    baseDir = checkpoints;
    result =
        TrainingRun.run(
            train,
            validation,
            options(checkpoints).optMaxEpochs(EPOCHS).optPatience(EPOCHS).optRunId("tiny").build(),
            null,
            new ProgressListener() {
              @Override
              public void onStart(Start s) {
                start[0] = s;
              }

              @Override
              public void onStep(Step s) {
                steps.add(s);
              }

              @Override
              public void onEvaluation(Evaluation e) {
                evaluations.add(e);
              }
            });
  }

  private static TrainingOptions.Builder options(Path checkpoints) {
    return TrainingOptions.builder(TinyData.TINY)
        .optCheckpointDir(checkpoints)
        .optSeed(7)
        .optDevice("cpu");
  }

  private TrainingOptions.Builder options() {
    return options(dir);
  }

  @Test
  void aRunWhoseStepsAreNonFiniteStepAfterStepFailsNamingTheLearningRate() {
    // Adam's first step moves every weight by about the learning rate: at 1e30 the next forward
    // pass overflows, every later step is dropped, and the run stops after the limit in a row.
    TrainingOptions runaway = options().optLearningRate(1e30f).optMaxEpochs(EPOCHS).build();
    assertThatThrownBy(
            () -> TrainingRun.run(train, validation, runaway, null, ProgressListener.NONE))
        .isInstanceOf(TrainingFailedException.class)
        .hasMessageContaining(TrainingRun.MAX_CONSECUTIVE_SKIPS + " steps in a row")
        .hasMessageContaining("learning rate 1.0E30");
  }

  @Test
  void anOrdinaryRunDropsNoStep() {
    assertThat(result.skippedSteps()).isZero();
  }

  @Test
  void lossFallsTheBestEpochIsCheckpointedAndMemoryStaysFlat() throws Exception {
    assertThat(train.size()).isGreaterThanOrEqualTo(16);
    assertThat(validation.size()).isGreaterThanOrEqualTo(4);
    LOG.info(
        "tiny run: {} steps, {} ms/step, best epoch {}: {}",
        result.steps(),
        Math.round(result.meanStepMillis()),
        result.bestEpoch(),
        result.best().map(ValidationScores::summary).orElse("-"));
    int stepsPerEpoch = (train.size() + 7) / 8;
    assertThat(start[0].stepsPerEpoch()).isEqualTo(stepsPerEpoch);
    assertThat(result.stopReason()).isEqualTo(TrainingResult.StopReason.MAX_EPOCHS);
    assertThat(result.epochs()).isEqualTo(EPOCHS);
    assertThat(steps).hasSize(EPOCHS * stepsPerEpoch);
    assertThat(steps.get(steps.size() - 1).eta()).isLessThan(steps.get(0).eta());
    assertThat(evaluations).hasSize(EPOCHS);

    // The loss falls: the last epoch's mean training loss well below the first's.
    assertThat(evaluations.get(EPOCHS - 1).meanLoss())
        .isLessThan(0.5 * evaluations.get(0).meanLoss());
    // ... and the model learned something about every class.
    ValidationScores best = result.best().orElseThrow();
    for (SpineClass c : SpineClass.FOREGROUND) {
      assertThat(best.dice(c)).as("Dice of %s", c).isGreaterThan(0.05);
    }

    // The checkpoint is the best epoch by validation mIoU, alone on disk, and reloads to the same
    // scores (the same weights, scored the same way as the live model at the gate).
    ProgressListener.Evaluation bestEvaluation =
        evaluations.stream()
            .max(java.util.Comparator.comparingDouble(e -> e.scores().meanIou()))
            .orElseThrow();
    assertThat(result.bestEpoch()).isEqualTo(bestEvaluation.epoch());
    assertThat(bestEvaluation.improved()).isTrue();
    assertThat(Files.list(baseDir.resolve("run-tiny").resolve(TrainingRun.BEST)).toList())
        .containsExactly(result.checkpoint().orElseThrow().directory());
    try (SegmentationModel reloaded = result.loadBest(Device.cpu())) {
      ValidationScores again = Validation.evaluate(reloaded, validation, 8);
      assertThat(again.meanIou()).isCloseTo(best.meanIou(), within(1e-9));
      assertThat(again.meanDice()).isCloseTo(best.meanDice(), within(1e-9));
    }

    // Memory: the arrays alive in native memory (weights, gradients, Adam state) are the same
    // after every epoch: nothing per batch or per validation leaks. The RSS settles after the
    // allocator's first epochs; it must not keep growing by a batch's worth per step.
    assertThat(evaluations)
        .extracting(ProgressListener.Evaluation::nativeArrays)
        .containsOnly(evaluations.get(0).nativeArrays());
    long rssEarly = evaluations.get(4).rssBytes();
    long rssLast = evaluations.get(EPOCHS - 1).rssBytes();
    LOG.info(
        "RSS after epoch 5: {} MiB, after epoch {}: {} MiB", rssEarly >> 20, EPOCHS, rssLast >> 20);
    assertThat(rssLast - rssEarly).as("RSS growth from epoch 5 to the last").isLessThan(96L << 20);
  }

  @Test
  void sameSeedSameDataSameModel() {
    TrainingOptions o = options().optMaxSteps(3).build();
    ValidationScores first =
        TrainingRun.run(train, validation, o, null, ProgressListener.NONE).best().orElseThrow();
    ValidationScores second =
        TrainingRun.run(train, validation, o, null, ProgressListener.NONE).best().orElseThrow();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void stoppingRules() throws Exception {
    TrainingResult steps =
        TrainingRun.run(
            train, validation, options().optMaxSteps(2).build(), null, ProgressListener.NONE);
    assertThat(steps.stopReason()).isEqualTo(TrainingResult.StopReason.MAX_STEPS);
    assertThat(steps.steps()).isEqualTo(2);
    assertThat(steps.history()).hasSize(1); // evaluated once, after the last step
    assertThat(steps.checkpoint()).isPresent();

    // From the trained model, a target below its Dice is reached after the first epoch.
    ValidationScores best = result.best().orElseThrow();
    try (SegmentationModel trained = result.loadBest(Device.cpu())) {
      TrainingResult target =
          TrainingRun.run(
              train,
              validation,
              options().optTargetDice(best.minForegroundDice() / 2).optLearningRate(1e-4f).build(),
              trained,
              ProgressListener.NONE);
      assertThat(target.stopReason()).isEqualTo(TrainingResult.StopReason.TARGET_REACHED);
      assertThat(target.epochs()).isEqualTo(1);
    }

    TrainingResult cancelled =
        TrainingRun.run(
            train,
            validation,
            options().build(),
            null,
            new ProgressListener() {
              @Override
              public boolean shouldStop() {
                return true;
              }
            });
    assertThat(cancelled.stopReason()).isEqualTo(TrainingResult.StopReason.CANCELLED);
    assertThat(cancelled.steps()).isEqualTo(1);
    assertThat(cancelled.checkpoint()).isEmpty();
  }

  @Test
  void fineTuningStartsFromTheGivenWeights() throws Exception {
    float[] fresh = firstLoss(null);
    float[] tuned;
    try (SegmentationModel initial = result.loadBest(Device.cpu())) {
      tuned = firstLoss(initial);
    }
    // The first batch's loss starts where the given model left off, not at a random model's.
    assertThat(tuned[0]).isLessThan(0.5f * fresh[0]);
  }

  @Test
  void rejectsEmptySets() {
    TrainingSet empty = TrainingSet.inMemory(List.of(), List.of());
    assertThatThrownBy(
            () ->
                TrainingRun.run(empty, validation, options().build(), null, ProgressListener.NONE))
        .hasMessageContaining("empty training set");
    assertThatThrownBy(
            () -> TrainingRun.run(train, empty, options().build(), null, ProgressListener.NONE))
        .hasMessageContaining("empty validation set");
  }

  @Test
  void resumesAfterTheLastCompletedEpoch() {
    List<ProgressListener.Step> resumedSteps = new ArrayList<>();
    TrainingOptions.Builder o = options().optRunId("resumable").optResume(true).optPatience(50);
    TrainingResult first =
        TrainingRun.run(train, validation, o.optMaxEpochs(2).build(), null, ProgressListener.NONE);
    assertThat(first.epochs()).isEqualTo(2);
    long secondStarted = System.nanoTime();
    TrainingResult second =
        TrainingRun.run(
            train,
            validation,
            o.optMaxEpochs(3).build(),
            null,
            new ProgressListener() {
              @Override
              public void onStep(Step s) {
                resumedSteps.add(s);
              }
            });
    int stepsPerEpoch = (train.size() + 7) / 8;
    assertThat(second.epochs()).isEqualTo(3);
    assertThat(second.history()).extracting(ProgressListener.Evaluation::epoch).containsExactly(3);
    assertThat(resumedSteps.get(0).epoch()).isEqualTo(3);
    assertThat(resumedSteps.get(0).step()).isEqualTo(2L * stepsPerEpoch + 1);
    assertThat(second.steps()).isEqualTo(3L * stepsPerEpoch);
    // The whole run's time: the first two epochs' (from the checkpoint) and the resumed one's.
    assertThat(second.duration())
        .isGreaterThan(java.time.Duration.ofNanos(System.nanoTime() - secondStarted));
    // The best epoch so far carries over: the result has a checkpoint even if epoch 3 is worse.
    assertThat(second.checkpoint()).isPresent();
    assertThat(second.bestEpoch()).isBetween(1, 3);
    second.deleteCheckpoint();
    assertThat(dir.resolve("run-resumable")).doesNotExist();
  }

  @Test
  void resumingARunWithoutACheckpointStartsAtTheFirstEpoch() {
    TrainingResult r =
        TrainingRun.run(
            train,
            validation,
            options().optRunId("fresh").optResume(true).optMaxSteps(1).build(),
            null,
            ProgressListener.NONE);
    assertThat(r.epochs()).isEqualTo(1);
    assertThat(r.steps()).isEqualTo(1);
  }

  @Test
  void augmentationSeesEveryTrainingDrawAndIsSeeded() {
    List<Integer> draws = new ArrayList<>();
    List<Long> randoms = new ArrayList<>();
    io.spineflow.model.augment.SliceAugmentation recording =
        (slice, random) -> {
          draws.add(slice.width());
          randoms.add(random.nextLong());
          return slice;
        };
    TrainingOptions o = options().optMaxEpochs(2).optPatience(5).optAugmentation(recording).build();
    TrainingRun.run(train, validation, o, null, ProgressListener.NONE);
    assertThat(draws).hasSize(2 * train.size()); // training draws only, never validation
    List<Long> first = List.copyOf(randoms);
    randoms.clear();
    TrainingRun.run(train, validation, o, null, ProgressListener.NONE);
    assertThat(randoms).isEqualTo(first);
  }

  @Test
  void trainsOnAMixOfCompleteAndPartialLabels() {
    // Every other training slice labels the discs only, on rows 8..55: elsewhere its 0s are
    // unknown.
    List<SliceRef> refs = new ArrayList<>();
    List<io.spineflow.model.LabelledSlice> slices = new ArrayList<>();
    io.spineflow.imaging.labels.SliceLabelScope discsOnly =
        new io.spineflow.imaging.labels.SliceLabelScope(
            java.util.EnumSet.of(io.spineflow.imaging.labels.LabelledStructure.DISCS), 8, 55);
    for (int i = 0; i < train.size(); i++) {
      io.spineflow.model.LabelledSlice s = train.load(i);
      if (i % 2 == 1) {
        byte[] labels = s.labels().clone();
        for (int p = 0; p < labels.length; p++) {
          if (labels[p] != SpineClass.DISCS.id() || !discsOnly.inExtent(p / s.width())) {
            labels[p] = 0;
          }
        }
        s =
            new io.spineflow.model.LabelledSlice(
                s.pixels(), labels, s.width(), s.height(), discsOnly);
      }
      refs.add(train.ref(i));
      slices.add(s);
    }
    TrainingSet mixed = TrainingSet.inMemory(refs, slices);
    TrainingResult r =
        TrainingRun.run(
            mixed, validation, options().optMaxSteps(4).build(), null, ProgressListener.NONE);
    assertThat(r.steps()).isEqualTo(4);
    assertThat(r.history()).allMatch(e -> Double.isFinite(e.meanLoss()));
    assertThatThrownBy(
            () ->
                TrainingRun.run(
                    mixed,
                    validation,
                    options().optLoss("ce").optMaxSteps(4).build(),
                    null,
                    ProgressListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partially labelled")
        .hasMessageContaining("PartialLabelLoss");
  }

  private float[] firstLoss(SegmentationModel initial) {
    float[] loss = new float[1];
    TrainingRun.run(
        train,
        validation,
        options().optMaxSteps(1).build(),
        initial,
        new ProgressListener() {
          @Override
          public void onStep(Step s) {
            loss[0] = s.loss();
          }
        });
    return loss;
  }
}
