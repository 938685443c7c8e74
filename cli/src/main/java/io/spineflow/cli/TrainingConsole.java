package io.spineflow.cli;

import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Offline training's console: one line per epoch with loss and per-class validation Dice ("–" for a
 * class no validation slice labels), and optionally a progress bar over each epoch's steps.
 */
public final class TrainingConsole {
  private TrainingConsole() {}

  /** One line per epoch on {@code console}. */
  public static ProgressListener epochs(PrintWriter console) {
    return withBars(console, null);
  }

  /**
   * One line per epoch on {@code console} and, on {@code bars} (null: none), a bar over each
   * epoch's steps with the running loss.
   */
  public static ProgressListener withBars(PrintWriter console, PrintWriter bars) {
    return new ProgressListener() {
      private ConsoleProgress bar;

      @Override
      public void onStep(Step s) {
        if (bars == null) {
          return;
        }
        if (s.stepInEpoch() == 1 || bar == null) {
          bar =
              ConsoleProgress.of(
                  bars, "epoch " + s.epoch() + "/" + s.maxEpochs(), "steps", s.stepsPerEpoch());
        }
        bar.step(String.format(Locale.ROOT, "loss %.3f", s.loss()));
      }

      @Override
      public void onEvaluation(Evaluation e) {
        console.printf(
            Locale.ROOT,
            "epoch %2d  %5.1f min  loss %.3f  Dice vertebrae %s canal %s discs %s  mIoU %.3f%s%n",
            e.epoch(),
            e.elapsed().toMillis() / 60000.0,
            e.meanLoss(),
            dice(e, SpineClass.VERTEBRAE),
            dice(e, SpineClass.SPINAL_CANAL),
            dice(e, SpineClass.DISCS),
            e.scores().meanIou(),
            e.improved() ? "  (best)" : "");
        console.flush();
      }
    };
  }

  private static String dice(ProgressListener.Evaluation e, SpineClass c) {
    double d = e.scores().dice(c);
    return Double.isNaN(d) ? "  –  " : String.format(Locale.ROOT, "%.3f", d);
  }
}
