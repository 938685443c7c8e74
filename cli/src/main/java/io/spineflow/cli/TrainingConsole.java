package io.spineflow.cli;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/** Offline training's console: one line per epoch with loss and per-class validation Dice. */
public final class TrainingConsole {
  private TrainingConsole() {}

  public static ProgressListener epochs(PrintWriter console) {
    return new ProgressListener() {
      @Override
      public void onEvaluation(Evaluation e) {
        console.printf(
            Locale.ROOT,
            "epoch %2d  %5.1f min  loss %.3f  Dice vertebrae %.3f canal %.3f discs %.3f%n",
            e.epoch(),
            e.elapsed().toMillis() / 60000.0,
            e.meanLoss(),
            e.scores().dice(SpineClass.VERTEBRAE),
            e.scores().dice(SpineClass.SPINAL_CANAL),
            e.scores().dice(SpineClass.DISCS));
        console.flush();
      }
    };
  }
}
