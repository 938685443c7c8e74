package io.spineflow.cli.bench;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.LabelledSlice;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.trainer.ProgressListener;
import io.spineflow.trainer.SliceRef;
import io.spineflow.trainer.StudySplit;
import io.spineflow.trainer.TrainingOptions;
import io.spineflow.trainer.TrainingResult;
import io.spineflow.trainer.TrainingRun;
import io.spineflow.trainer.TrainingSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench training}: minutes from an empty model to validation Dice ≥ 0.90 on every class, on
 * phantom studies preprocessed exactly as the pipeline does, with the default (cpu) profile; and
 * training slices/s.
 */
final class TrainingBench {
  private TrainingBench() {}

  static double run(String profile, int studies, Duration budget, PrintWriter out)
      throws Exception {
    TrainingOptions options =
        TrainingOptions.profile(profile).optTargetDice(0.90).optTimeBudget(budget).build();
    SagittalSlicer slicer =
        PreprocessConfig.defaults(Files.createTempDirectory("spineflow-bench-training"))
            .withSliceSize(
                options.architecture().inputWidth(), options.architecture().inputHeight())
            .slicer();
    StudySplit split = new StudySplit(0.2);
    List<SliceRef> trainRefs = new ArrayList<>();
    List<LabelledSlice> train = new ArrayList<>();
    List<SliceRef> validationRefs = new ArrayList<>();
    List<LabelledSlice> validation = new ArrayList<>();
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] sequences = Sequence.values();
    for (int i = 0; i < studies; i++) {
      PhantomStudy study = generator.generate(PhantomSpec.of(sequences[i % 3], 1000 + i));
      for (SagittalSlice s : slicer.slice(study.image(), study.mask()).slices()) {
        SliceRef ref =
            new SliceRef(
                study.studyId(),
                s.sliceIndex(),
                study.sequence().name(),
                s.pixelSpacing(),
                s.pixelSpacing());
        LabelledSlice slice = new LabelledSlice(s.pixels(), s.label(), s.width(), s.height());
        if (split.isValidation(study.studyId())) {
          validationRefs.add(ref);
          validation.add(slice);
        } else {
          trainRefs.add(ref);
          train.add(slice);
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "%d phantom studies: %d training slices, %d validation slices; profile %s, target Dice 0.90"
            + " on every class, budget %d min%n",
        studies,
        train.size(),
        validation.size(),
        profile,
        budget.toMinutes());
    TrainingResult result =
        TrainingRun.run(
            TrainingSet.inMemory(trainRefs, train),
            TrainingSet.inMemory(validationRefs, validation),
            options,
            null,
            new ProgressListener() {
              @Override
              public void onEvaluation(Evaluation e) {
                out.printf(
                    Locale.ROOT,
                    "epoch %2d  %5.1f min  loss %.3f  Dice vertebrae %.3f canal %.3f discs %.3f%n",
                    e.epoch(),
                    e.elapsed().toMillis() / 60000.0,
                    e.meanLoss(),
                    e.scores().dice(SpineClass.VERTEBRAE),
                    e.scores().dice(SpineClass.SPINAL_CANAL),
                    e.scores().dice(SpineClass.DISCS));
                out.flush();
              }
            });
    result.deleteCheckpoint();
    double minutes = result.duration().toMillis() / 60000.0;
    out.printf(
        Locale.ROOT,
        "stopped: %s after %d epochs, %d steps; %.1f ms/step, %.1f training slices/s%n",
        result.stopReason(),
        result.epochs(),
        result.steps(),
        result.meanStepMillis(),
        result.slicesPerSecond(options.batchSize()));
    if (result.stopReason() != TrainingResult.StopReason.TARGET_REACHED) {
      out.printf(Locale.ROOT, "target not reached within the budget: reporting the budget%n");
    }
    return minutes;
  }
}
