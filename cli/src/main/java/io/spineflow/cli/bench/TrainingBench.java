package io.spineflow.cli.bench;

import io.spineflow.cli.PhantomTrainingData;
import io.spineflow.cli.TrainingConsole;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.model.training.TrainingRun;
import java.io.PrintWriter;
import java.time.Duration;
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
    PhantomTrainingData data = PhantomTrainingData.generate(options.architecture(), studies, 1000);
    out.printf(
        Locale.ROOT,
        "%d phantom studies: %d training slices, %d validation slices; profile %s, target Dice 0.90"
            + " on every class, budget %d min%n",
        studies,
        data.train().size(),
        data.validation().size(),
        profile,
        budget.toMinutes());
    TrainingResult result =
        TrainingRun.run(
            data.train(), data.validation(), options, null, TrainingConsole.epochs(out));
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
