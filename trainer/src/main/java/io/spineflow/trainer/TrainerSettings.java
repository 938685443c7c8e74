package io.spineflow.trainer;

import io.spineflow.model.training.TrainingOptions;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Setting;
import java.util.List;

/**
 * The trainer's rows of the configuration table. {@code model.name} and {@code model.store} are the
 * same settings (name, environment variable, meaning) as inference's: one model store and one model
 * name shared by the service that trains and the one that serves.
 *
 * <p>Rows whose default is empty take their value from {@code trainer.profile} ({@link
 * TrainingOptions#profile}).
 */
public final class TrainerSettings {
  private TrainerSettings() {}

  /** Shared with inference: {@link ModelSettings}. */
  public static final Setting MODEL_NAME = ModelSettings.MODEL_NAME;

  public static final Setting MODEL_STORE = ModelSettings.MODEL_STORE;

  public static final Setting PROFILE =
      new Setting(
          "trainer.profile",
          "SPINEFLOW_TRAINER_PROFILE",
          "cpu",
          "Model size and training schedule: cpu (base width 16, 128x128, batch 8, lr 3e-3) or"
              + " paper (Ahmed et al.: base width 64, 512x640, batch 8, lr 1e-4, 100 epochs).");
  public static final Setting VARIANT =
      new Setting(
          "trainer.variant",
          "SPINEFLOW_TRAINER_VARIANT",
          "modified-unet",
          "Network: modified-unet (Ahmed et al.), plain-unet (baseline) or inception-unet"
              + " (Silveira et al., dual output).");
  public static final Setting LOSS =
      new Setting(
          "trainer.loss",
          "SPINEFLOW_TRAINER_LOSS",
          "focal-dice",
          "Loss: focal-dice (0.6 focal + 0.4 Dice, Ahmed et al.), dice, ce, ce-dice (Silveira et"
              + " al.), tversky or focal.");
  public static final Setting FOCAL_GAMMA =
      new Setting(
          "trainer.focal.gamma",
          "SPINEFLOW_TRAINER_FOCAL_GAMMA",
          "4.0",
          "Focusing parameter of the focal loss (Ahmed et al. state 4.0).");
  public static final Setting LEARNING_RATE =
      new Setting(
          "trainer.learning.rate",
          "SPINEFLOW_TRAINER_LEARNING_RATE",
          "",
          "Adam's learning rate (default by profile: cpu 3e-3, paper 1e-4 as in the papers).");
  public static final Setting BATCH_SIZE =
      new Setting(
          "trainer.batch.size",
          "SPINEFLOW_TRAINER_BATCH_SIZE",
          "",
          "Slices per optimiser step (default by profile: 8).");
  public static final Setting EPOCHS =
      new Setting(
          "trainer.epochs",
          "SPINEFLOW_TRAINER_EPOCHS",
          "",
          "Epochs at most (default by profile: cpu 60, paper 100).");
  public static final Setting PATIENCE =
      new Setting(
          "trainer.patience",
          "SPINEFLOW_TRAINER_PATIENCE",
          "",
          "Early stopping: epochs without a validation mean-IoU improvement (default by profile:"
              + " cpu 8, paper 10).");
  public static final Setting MAX_STEPS =
      new Setting(
          "trainer.max.steps",
          "SPINEFLOW_TRAINER_MAX_STEPS",
          "0",
          "Optimiser steps per run at most; 0 means no limit.");
  public static final Setting TIME_BUDGET =
      new Setting(
          "trainer.time.budget",
          "SPINEFLOW_TRAINER_TIME_BUDGET",
          "",
          "Wall-clock limit of one run (e.g. 10m); empty means none.");
  public static final Setting TARGET_DICE =
      new Setting(
          "trainer.target.dice",
          "SPINEFLOW_TRAINER_TARGET_DICE",
          "",
          "Stop a run once every class reaches this validation Dice (e.g. 0.95); empty means never.");
  public static final Setting BASE_WIDTH =
      new Setting(
          "trainer.base.width",
          "SPINEFLOW_TRAINER_BASE_WIDTH",
          "",
          "Channels of the first encoder level (default by profile: cpu 16, paper 64).");
  public static final Setting DEPTH =
      new Setting(
          "trainer.depth",
          "SPINEFLOW_TRAINER_DEPTH",
          "",
          "Downsamplings (default by profile: cpu 4, paper 3); the bottleneck has base width x"
              + " 2^depth channels.");
  public static final Setting SLICE_WIDTH =
      new Setting(
          "trainer.slice.width",
          "SPINEFLOW_TRAINER_SLICE_WIDTH",
          "",
          "Model input columns; must equal preprocess.slice.width (default by profile: cpu 128).");
  public static final Setting SLICE_HEIGHT =
      new Setting(
          "trainer.slice.height",
          "SPINEFLOW_TRAINER_SLICE_HEIGHT",
          "",
          "Model input rows; must equal preprocess.slice.height (default by profile: cpu 128).");
  public static final Setting SEED =
      new Setting(
          "trainer.seed",
          "SPINEFLOW_TRAINER_SEED",
          "42",
          "Seed of initial weights, dropout and shuffling (reproducible runs).");
  public static final Setting VALIDATION_FRACTION =
      new Setting(
          "trainer.validation.fraction",
          "SPINEFLOW_TRAINER_VALIDATION_FRACTION",
          "0.2",
          "Share of studies held out for validation, chosen by a stable hash of the study UID"
              + " (raising it only moves studies into validation).");
  public static final Setting MIN_STUDIES =
      new Setting(
          "trainer.min.studies",
          "SPINEFLOW_TRAINER_MIN_STUDIES",
          "4",
          "Complete labelled studies needed before any training (at least one of them must fall"
              + " in validation).");
  public static final Setting TRIGGER_NEW_STUDIES =
      new Setting(
          "trainer.trigger.new.studies",
          "SPINEFLOW_TRAINER_TRIGGER_NEW_STUDIES",
          "10",
          "Retrain after this many new complete labelled studies; 0 disables the trigger.");
  public static final Setting SCHEDULE =
      new Setting(
          "trainer.schedule",
          "SPINEFLOW_TRAINER_SCHEDULE",
          "",
          "Retrain this long after the last run if new labelled studies arrived (e.g. 24h);"
              + " empty disables it.");
  public static final Setting FINE_TUNE =
      new Setting(
          "trainer.fine.tune",
          "SPINEFLOW_TRAINER_FINE_TUNE",
          "true",
          "Start each run from the live model's weights when it has the same architecture.");
  public static final Setting FIRST_MIN_DICE =
      new Setting(
          "trainer.gate.first.min.dice",
          "SPINEFLOW_TRAINER_GATE_FIRST_MIN_DICE",
          "0.5",
          "The first model is promoted only with at least this mean validation Dice.");
  public static final Setting MEAN_MARGIN =
      new Setting(
          "trainer.gate.mean.margin",
          "SPINEFLOW_TRAINER_GATE_MEAN_MARGIN",
          "0.01",
          "A candidate is rejected if its mean Dice is more than this below the live model's, or"
              + " its mean Dice on the reference studies more than this below the quality floor.");
  public static final Setting CLASS_MARGIN =
      new Setting(
          "trainer.gate.class.margin",
          "SPINEFLOW_TRAINER_GATE_CLASS_MARGIN",
          "0.03",
          "A candidate is rejected if any class's Dice is more than this below the live model's, or"
              + " more than this below that class's quality floor.");
  public static final Setting GATE_RETRY_DELAY =
      new Setting(
          "trainer.gate.retry.delay",
          "SPINEFLOW_TRAINER_GATE_RETRY_DELAY",
          "1m",
          "A run whose live model (or quality floor) cannot be read fails and runs again after"
              + " this long.");
  public static final Setting FAILOVER_TIMEOUT =
      new Setting(
          "trainer.failover.timeout",
          "SPINEFLOW_TRAINER_FAILOVER_TIMEOUT",
          "20s",
          "With a standby trainer (a second instance for the same model): how long after the"
              + " active one stops answering (a crash, a lost node) the standby takes over; the"
              + " retrain consumer's session.timeout.ms, at least the broker's"
              + " group.min.session.timeout.ms (6 s by default). A clean stop hands over at once.");
  public static final Setting THREADS =
      new Setting(
          "trainer.threads",
          "SPINEFLOW_TRAINER_THREADS",
          "0",
          "PyTorch intra-op threads (0: all cores).");
  public static final Setting DEVICE =
      new Setting(
          "trainer.device",
          "SPINEFLOW_TRAINER_DEVICE",
          "auto",
          "auto (first GPU if usable, else CPU), cpu, gpu or gpuN.");

  /** Every row, in table order. */
  public static List<Setting> all() {
    return List.of(
        MODEL_NAME,
        MODEL_STORE,
        PROFILE,
        VARIANT,
        LOSS,
        FOCAL_GAMMA,
        LEARNING_RATE,
        BATCH_SIZE,
        EPOCHS,
        PATIENCE,
        MAX_STEPS,
        TIME_BUDGET,
        TARGET_DICE,
        BASE_WIDTH,
        DEPTH,
        SLICE_WIDTH,
        SLICE_HEIGHT,
        SEED,
        VALIDATION_FRACTION,
        MIN_STUDIES,
        TRIGGER_NEW_STUDIES,
        SCHEDULE,
        FINE_TUNE,
        FIRST_MIN_DICE,
        MEAN_MARGIN,
        CLASS_MARGIN,
        GATE_RETRY_DELAY,
        FAILOVER_TIMEOUT,
        THREADS,
        DEVICE);
  }
}
