package io.spineflow.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's script: labelled studies arrive and the first model is trained and promoted; then
 * labelled and unlabelled studies flow through inference; then distribution-shifted studies arrive,
 * the drift alert asks for a retrain, and the retrained model is hot-swapped in.
 */
final class DemoScenario implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoScenario.class);

  /** Counts and pacing of one scenario. */
  record Plan(int learn, int serve, int shift, Duration interval, Duration modelWait) {
    static Plan quick() {
      return new Plan(8, 6, 12, Duration.ofMillis(800), Duration.ofMinutes(6));
    }

    static Plan full(int studies) {
      int learn = Math.max(10, studies / 2);
      return new Plan(
          learn,
          Math.max(6, studies / 4),
          Math.max(12, studies / 4),
          Duration.ofSeconds(2),
          Duration.ofMinutes(20));
    }
  }

  private final DemoFeeder feeder;
  private final DemoNarrator narrator;
  private final Plan plan;
  private final PrintWriter out;
  private final int modelsBefore;
  private volatile boolean running = true;
  private volatile boolean finished;

  /**
   * @param modelsGiven models announced before the scenario (a starter or --model): the first phase
   *     waits for the trainer's own model beyond them
   */
  DemoScenario(
      DemoFeeder feeder, DemoNarrator narrator, Plan plan, int modelsGiven, PrintWriter out) {
    this.feeder = feeder;
    this.narrator = narrator;
    this.plan = plan;
    this.out = out;
    this.modelsBefore = modelsGiven;
  }

  boolean finished() {
    return finished;
  }

  void stop() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
  }

  @Override
  public void run() {
    try {
      long seed = 1;
      say(
          modelsBefore > 0
              ? "1/3  %d labelled studies arrive; the live model segments them while the trainer"
                  + " learns from them"
              : "1/3  %d labelled studies arrive; the trainer learns a first model from them",
          plan.learn());
      for (int i = 0; i < plan.learn() && running; i++) {
        say("     study %s (labelled)", feeder.send(i, seed++, true, false));
        pause(plan.interval());
      }
      if (!waitFor(
          () -> narrator.modelsAnnounced() > modelsBefore, plan.modelWait(), "the first model")) {
        return;
      }
      say("2/3  %d studies, labelled and unlabelled, flow through inference", plan.serve());
      for (int i = 0; i < plan.serve() && running; i++) {
        boolean labelled = i % 2 == 0;
        say(
            "     study %s (%s)",
            feeder.send(i, seed++, labelled, false), labelled ? "labelled" : "unlabelled");
        pause(plan.interval());
      }
      int models = narrator.modelsAnnounced();
      say(
          "3/3  %d studies from another scanner (--shift) arrive; drift should be noticed and a retrain"
              + " follow",
          plan.shift());
      for (int i = 0; i < plan.shift() && running; i++) {
        say("     study %s (labelled, shifted)", feeder.send(i, seed++, true, true));
        pause(plan.interval());
      }
      if (waitFor(
          () -> narrator.modelsAnnounced() > models, plan.modelWait(), "a retrained model")) {
        say("scenario complete: the retrained model serves. Ctrl-C stops the demo.");
        finished = true;
      }
    } catch (Exception e) {
      LOG.error("demo scenario stopped", e);
      say("scenario stopped: %s", Spineflow.oneLine(e));
    }
  }

  private boolean waitFor(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running && !condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        say(
            "still no %s after %d min; the demo keeps running (see the log)",
            what, timeout.toMinutes());
        return false;
      }
      pause(Duration.ofMillis(500));
    }
    return running;
  }

  private synchronized void pause(Duration duration) {
    try {
      wait(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println(String.format(java.util.Locale.ROOT, format, args));
      out.flush();
    }
  }
}
