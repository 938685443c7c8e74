package io.spineflow.model.training;

import ai.djl.training.loss.Loss;
import io.spineflow.model.FocalLoss;
import io.spineflow.model.Losses;
import io.spineflow.model.PartialFocalDiceLoss;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.augment.SliceAugmentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link TrainingRun} trains: architecture, loss, optimiser, schedule, stopping rules and seed.
 * Build with {@link #builder(UNetConfig)}: {@code setX} for required values, {@code optX} for
 * optional ones (DJL's convention).
 *
 * @param architecture the network to train; its input size must match the slices
 * @param loss a name from {@link Losses#names()}; {@code focal-dice} by default
 * @param focalGamma γ of the focal term (of {@code focal-dice} and {@code focal}); 4 by default
 * @param learningRate Adam's fixed learning rate
 * @param batchSize slices per optimiser step
 * @param maxEpochs passes over the training set at most
 * @param patience epochs without a validation mIoU improvement after which training stops
 * @param minImprovement how much the validation mIoU must rise to count as an improvement
 * @param seed seeds initial weights, dropout and the per-epoch shuffles
 * @param maxSteps optimiser steps at most (0: no limit); the run then evaluates once and stops
 * @param timeBudget stop (after one last evaluation) once this much time has passed (null: none)
 * @param targetDice stop once every foreground class reaches this validation Dice (NaN: never)
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpuN}
 * @param checkpointDir where the best epoch's weights are kept (null: a temporary directory)
 * @param runId names the run in events and checkpoints (null: a random id)
 * @param augmentation applied to every training slice each time it is drawn, with a random source
 *     seeded from {@code seed} and the epoch ({@link SliceAugmentation#NONE}: none)
 * @param resume continue the run {@code runId} from its last epoch checkpoint in {@code
 *     checkpointDir} if there is one (both must then be set)
 */
public record TrainingOptions(
    UNetConfig architecture,
    String loss,
    float focalGamma,
    float learningRate,
    int batchSize,
    int maxEpochs,
    int patience,
    double minImprovement,
    int seed,
    long maxSteps,
    Duration timeBudget,
    double targetDice,
    String device,
    Path checkpointDir,
    String runId,
    SliceAugmentation augmentation,
    boolean resume) {

  /** Ahmed et al.'s weight of the focal term; the Dice term gets the rest (0.4). */
  public static final float FOCAL_WEIGHT = 0.6f;

  /** Checks every value. */
  public TrainingOptions {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(augmentation, "augmentation");
    require(
        !resume || (checkpointDir != null && runId != null),
        "resume needs a checkpointDir and a runId to find the run's checkpoints");
    if (!Losses.names().contains(loss.trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("unknown loss '" + loss + "'; known: " + Losses.names());
    }
    require(
        focalGamma >= 0 && Float.isFinite(focalGamma), "focalGamma must be >= 0: " + focalGamma);
    require(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be > 0");
    require(batchSize >= 1, "batchSize must be >= 1: " + batchSize);
    require(maxEpochs >= 1, "maxEpochs must be >= 1: " + maxEpochs);
    require(patience >= 1, "patience must be >= 1: " + patience);
    require(minImprovement >= 0, "minImprovement must be >= 0: " + minImprovement);
    require(maxSteps >= 0, "maxSteps must be >= 0: " + maxSteps);
    require(timeBudget == null || !timeBudget.isNegative(), "timeBudget must not be negative");
    require(
        Double.isNaN(targetDice) || (targetDice > 0 && targetDice <= 1),
        "targetDice must be in (0, 1] or NaN: " + targetDice);
  }

  /**
   * A builder with every default (the {@code cpu} profile's schedule); {@code architecture} is
   * required.
   */
  public static Builder builder(UNetConfig architecture) {
    return new Builder().setArchitecture(architecture);
  }

  /**
   * A builder for a named profile: its architecture ({@link UNetConfig#profile}) and schedule.
   *
   * <ul>
   *   <li>{@code cpu}: Adam at 3e-3, batch 8, at most 60 epochs, patience 8. Not the papers' 1e-4:
   *       with a 10-minute budget on two cores (≈2,500 steps of the cpu model) 1e-4 is far from
   *       converged (measured on phantoms with a tiny model: mean Dice 0.12 after 160 steps at
   *       1e-4, 0.56 at 1e-3, 0.79 at 3e-3), and BatchNorm keeps 3e-3 stable.
   *   <li>{@code paper}: Ahmed et al.'s schedule for a GPU: Adam at 1e-4, batch 8, 100 epochs,
   *       patience 10.
   * </ul>
   *
   * @throws IllegalArgumentException for an unknown profile
   */
  public static Builder profile(String name) {
    Builder b = builder(UNetConfig.profile(name));
    if (name.equals("paper")) {
      b.optLearningRate(1e-4f).optBatchSize(8).optMaxEpochs(100).optPatience(10);
    }
    return b;
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.architecture = architecture;
    b.loss = loss;
    b.focalGamma = focalGamma;
    b.learningRate = learningRate;
    b.batchSize = batchSize;
    b.maxEpochs = maxEpochs;
    b.patience = patience;
    b.minImprovement = minImprovement;
    b.seed = seed;
    b.maxSteps = maxSteps;
    b.timeBudget = timeBudget;
    b.targetDice = targetDice;
    b.device = device;
    b.checkpointDir = checkpointDir;
    b.runId = runId;
    b.augmentation = augmentation;
    b.resume = resume;
    return b;
  }

  /**
   * The DJL loss these options name: {@code focal-dice} is {@code 0.6·focal(γ) + 0.4·Dice} in its
   * partial-label form ({@link PartialFocalDiceLoss}, the only one that trains on partial labels)
   * and {@code focal} is {@code focal(γ)} with this γ; the others come from {@link Losses#named}.
   */
  public Loss lossFunction() {
    return switch (loss.trim().toLowerCase(Locale.ROOT)) {
      case "focal-dice" -> new PartialFocalDiceLoss(FOCAL_WEIGHT, 1f - FOCAL_WEIGHT, focalGamma);
      case "focal" -> new FocalLoss(focalGamma, null);
      default -> Losses.named(loss);
    };
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builder of {@link TrainingOptions}. */
  public static final class Builder {
    private UNetConfig architecture;
    private String loss = "focal-dice";
    private float focalGamma = FocalLoss.PAPER_GAMMA;
    private float learningRate = 3e-3f;
    private int batchSize = 8;
    private int maxEpochs = 60;
    private int patience = 8;
    private double minImprovement = 1e-4;
    private int seed = 42;
    private long maxSteps;
    private Duration timeBudget;
    private double targetDice = Double.NaN;
    private String device = "auto";
    private Path checkpointDir;
    private String runId;
    private SliceAugmentation augmentation = SliceAugmentation.NONE;
    private boolean resume;

    private Builder() {}

    /** The network to train (required). */
    public Builder setArchitecture(UNetConfig architecture) {
      this.architecture = Objects.requireNonNull(architecture, "architecture");
      return this;
    }

    /** The loss by name; default {@code focal-dice}. */
    public Builder optLoss(String loss) {
      this.loss = loss;
      return this;
    }

    /** γ of the focal term; default 4 (Ahmed et al.; the model module's default). */
    public Builder optFocalGamma(float focalGamma) {
      this.focalGamma = focalGamma;
      return this;
    }

    /**
     * Adam's learning rate; default 3e-3 (see {@link TrainingOptions#profile} for why not 1e-4).
     */
    public Builder optLearningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** Slices per step; default 8 (the paper's and the cpu profile's). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Epochs at most; default 60. */
    public Builder optMaxEpochs(int maxEpochs) {
      this.maxEpochs = maxEpochs;
      return this;
    }

    /** Early-stopping patience in epochs; default 8. */
    public Builder optPatience(int patience) {
      this.patience = patience;
      return this;
    }

    /** Smallest mIoU rise that counts as an improvement; default 1e-4. */
    public Builder optMinImprovement(double minImprovement) {
      this.minImprovement = minImprovement;
      return this;
    }

    /** Seed; default 42. */
    public Builder optSeed(int seed) {
      this.seed = seed;
      return this;
    }

    /** Steps at most (0: no limit); default 0. */
    public Builder optMaxSteps(long maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** Wall-clock budget (null: none); default none. */
    public Builder optTimeBudget(Duration timeBudget) {
      this.timeBudget = timeBudget;
      return this;
    }

    /** Stop once every foreground class reaches this validation Dice; default never (NaN). */
    public Builder optTargetDice(double targetDice) {
      this.targetDice = targetDice;
      return this;
    }

    /** Device name; default {@code auto}. */
    public Builder optDevice(String device) {
      this.device = device;
      return this;
    }

    /** Checkpoint directory; default a temporary directory. */
    public Builder optCheckpointDir(Path checkpointDir) {
      this.checkpointDir = checkpointDir;
      return this;
    }

    /** Run id; default random. */
    public Builder optRunId(String runId) {
      this.runId = runId;
      return this;
    }

    /**
     * On-the-fly augmentation of training slices (never validation ones); default {@link
     * SliceAugmentation#NONE}.
     */
    public Builder optAugmentation(SliceAugmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    /**
     * Resume run {@link #optRunId} from its last completed epoch in {@link #optCheckpointDir} (the
     * weights, the epoch, step count and early-stopping state; Adam's moments start fresh); starts
     * from scratch when that run has no checkpoint yet. Default false.
     */
    public Builder optResume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** The options (validated). */
    public TrainingOptions build() {
      return new TrainingOptions(
          architecture,
          loss,
          focalGamma,
          learningRate,
          batchSize,
          maxEpochs,
          patience,
          minImprovement,
          seed,
          maxSteps,
          timeBudget,
          targetDice,
          device,
          checkpointDir,
          runId,
          augmentation,
          resume);
    }
  }
}
