package io.spineflow.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training step at a time for a {@link UNet}. The loop around it (epochs, shuffling,
 * validation, early stopping, checkpoints via {@link #saveTo}) is {@link
 * io.spineflow.model.training.TrainingRun}.
 *
 * <pre>{@code
 * try (SegmentationTrainer trainer =
 *     SegmentationTrainer.builder().setConfig(UNetConfig.profile("cpu")).optSeed(7).build()) {
 *   for (List<LabelledSlice> batch : batches) {
 *     TrainingStepResult r = trainer.step(batch);
 *   }
 *   List<Segmentation> predicted = trainer.predict(validationInputs);
 *   trainer.saveTo(store, "spine-unet", 3, Map.of("valDice", 0.93));
 * }
 * }</pre>
 *
 * <p>Memory: every batch lives in a sub-manager of the trainer's manager that is closed right after
 * the optimiser step, so intermediate arrays (activations, gradients of activations) are freed each
 * step instead of accumulating until the model is closed.
 *
 * <p>Not thread-safe: one thread drives a trainer.
 */
public final class SegmentationTrainer implements AutoCloseable {

  private final UNetConfig config;
  private final Loss loss;
  private final float learningRate;
  private final Model model;
  private final Trainer trainer;
  private final SliceSegmentationTranslator translator;
  private Predictor<SliceInput, Segmentation> predictor;
  private long steps;
  private long skippedSteps;

  private SegmentationTrainer(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config (setConfig) is required");
    this.loss = Losses.forArchitecture(b.loss, config);
    this.learningRate = b.learningRate;
    DjlEngine.ensureStarted().setRandomSeed(b.seed);
    Device device = b.device != null ? b.device : Devices.best();
    this.model = Model.newInstance("spineflow-unet", device, DjlEngine.ENGINE_NAME);
    try {
      UNet unet = new UNet(config);
      model.setBlock(unet);
      DefaultTrainingConfig training =
          new DefaultTrainingConfig(loss)
              .optOptimizer(
                  // Each gradient element clipped to ±1: a rare huge gradient (a batch of
                  // single-class pixels the model is sure are another class) otherwise sent the
                  // weights to NaN within a step at 3e-3 on real scans; Adam's step size does
                  // not depend on the gradient's scale, so ordinary steps are unchanged.
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed(learningRate))
                      .optClipGrad(GRADIENT_CLIP)
                      .build())
              .optDevices(new Device[] {device});
      this.trainer = model.newTrainer(training);
      trainer.initialize(unet.inputShape(1));
      if (b.initialWeights != null) {
        copyWeights(b.initialWeights);
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    this.translator = new SliceSegmentationTranslator(config);
  }

  /** A builder; {@link Builder#setConfig} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The architecture being trained. */
  public UNetConfig config() {
    return config;
  }

  /** The loss (wrapped for the auxiliary output when the variant has one). */
  public Loss loss() {
    return loss;
  }

  /** The largest gradient element Adam sees. */
  static final float GRADIENT_CLIP = 1f;

  /** Adam's learning rate. */
  public float learningRate() {
    return learningRate;
  }

  /** Steps taken so far. */
  public long steps() {
    return steps;
  }

  /** The DJL model whose block is being trained (e.g. for {@link ModelStore#save}). */
  public Model model() {
    return model;
  }

  /** The DJL trainer, for metrics or listeners; its manager is the parent of the batch managers. */
  public Trainer djlTrainer() {
    return trainer;
  }

  /**
   * One forward/backward pass and Adam update on {@code batch}.
   *
   * @param batch slices of the model's input size with labels in {@code 0..classes-1} (or {@link
   *     SliceLabelScope#UNKNOWN}); partially labelled slices need a {@link PartialLabelLoss}; its
   *     size is the batch size (at least 1; 2+ gives BatchNorm meaningful statistics)
   * @return the loss on this batch (before the update), the step's duration, and whether the update
   *     was applied: a step whose loss or any gradient is NaN or infinite is dropped (weights,
   *     optimiser state and BatchNorm statistics stay as they were)
   * @throws IllegalArgumentException for an empty batch, wrong sizes, out-of-range labels, or a
   *     partial label with a loss that is not a {@link PartialLabelLoss}
   */
  public TrainingStepResult step(List<LabelledSlice> batch) {
    long start = System.nanoTime();
    float value;
    boolean applied;
    try (NDManager batchManager = trainer.getManager().newSubManager()) {
      NDList data = new NDList(inputs(batchManager, batch));
      NDList labels = new NDList(labels(batchManager, batch));
      List<NDArray> statistics = FiniteStep.snapshotStatistics(model.getBlock(), batchManager);
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(data, labels);
        NDArray lossValue = loss.evaluate(labels, predictions);
        collector.backward(lossValue);
        value = lossValue.getFloat();
      }
      applied = Float.isFinite(value) && FiniteStep.gradientsFinite(model.getBlock());
      if (applied) {
        trainer.step();
      } else {
        // A non-finite loss or gradient would turn every weight into NaN through Adam, and the
        // forward pass may already have blended NaN into BatchNorm's running statistics: the step
        // is dropped and the model left exactly as it was before this batch.
        FiniteStep.zeroGradients(model.getBlock());
        FiniteStep.restoreStatistics(model.getBlock(), statistics);
      }
    }
    if (applied) {
      steps++;
    } else {
      skippedSteps++;
    }
    return new TrainingStepResult(
        steps, value, batch.size(), Duration.ofNanos(System.nanoTime() - start), applied);
  }

  /** Steps dropped so far because their loss or a gradient was NaN or infinite. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /**
   * The loss on {@code batch} in inference mode (BatchNorm running statistics, no dropout), with no
   * update: for validation.
   */
  public float evaluateLoss(List<LabelledSlice> batch) {
    try (NDManager batchManager = trainer.getManager().newSubManager()) {
      NDList labels = new NDList(labels(batchManager, batch));
      NDList predictions = trainer.evaluate(new NDList(inputs(batchManager, batch)));
      return loss.evaluate(labels, predictions).getFloat();
    }
  }

  /**
   * Segments {@code slices} with the current weights in inference mode, as one batch: what a
   * validation loop needs to compute Dice and friends.
   */
  public List<Segmentation> predict(List<SliceInput> slices) {
    if (predictor == null) {
      predictor = model.newPredictor(translator);
    }
    try {
      return predictor.batchPredict(slices);
    } catch (TranslateException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalStateException("prediction failed", e);
    }
  }

  /** Saves the current weights as a new version (a checkpoint or a release). */
  public StoredModel saveTo(ModelStore store, String name, int version, Map<String, ?> metadata)
      throws IOException {
    return store.save(name, version, model.getBlock(), config, metadata);
  }

  /** Frees the trainer's and model's native memory. */
  @Override
  public void close() {
    if (predictor != null) {
      predictor.close();
    }
    trainer.close();
    model.close();
  }

  private NDArray inputs(NDManager manager, List<LabelledSlice> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    return translator.toInputArray(manager, batch.stream().map(LabelledSlice::input).toList());
  }

  /**
   * The label tensor {@code [N, H, W]} the loss reads: allowed-class bit sets ({@link
   * SliceLabelScope#allowedClasses(int, int)}) for a {@link PartialLabelLoss}, class indices for
   * any other loss, which only complete labels can feed.
   */
  private NDArray labels(NDManager manager, List<LabelledSlice> batch) {
    boolean partialAware = PartialLabelLoss.accepts(loss);
    int width = config.inputWidth();
    int plane = width * config.inputHeight();
    int[] all = new int[batch.size() * plane];
    for (int n = 0; n < batch.size(); n++) {
      LabelledSlice slice = batch.get(n);
      if (!partialAware && !slice.completelyLabelled()) {
        throw new IllegalArgumentException(
            "slice "
                + n
                + " is partially labelled ("
                + slice.scope()
                + ") but the loss '"
                + loss.getName()
                + "' reads complete labels only; train it with a partial-label loss"
                + " (PartialLabelLoss, e.g. focal-dice)");
      }
      byte[] l = slice.labels();
      for (int i = 0; i < plane; i++) {
        int c = l[i];
        boolean unknown = SliceLabelScope.isRestricted(l[i]);
        if (!unknown && (c < 0 || c >= config.classes())) {
          throw new IllegalArgumentException(
              "label "
                  + c
                  + " at slice "
                  + n
                  + ", pixel "
                  + i
                  + " is not in 0.."
                  + (config.classes() - 1));
        }
        if (partialAware) {
          all[n * plane + i] = slice.scope().allowedClasses(l[i], i / width);
        } else if (unknown) {
          throw new IllegalArgumentException(
              "slice "
                  + n
                  + ", pixel "
                  + i
                  + " is UNKNOWN or restricted but the loss '"
                  + loss.getName()
                  + "' reads complete labels only; use a partial-label loss (e.g. focal-dice)");
        } else {
          all[n * plane + i] = c;
        }
      }
    }
    return manager.create(all, new Shape(batch.size(), config.inputHeight(), width));
  }

  /** Copies another model's weights in place, so the optimiser keeps tracking the same arrays. */
  private void copyWeights(SegmentationModel source) {
    List<String> differences = config.differences(source.config());
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(
          "initial weights are for another architecture: " + String.join("; ", differences));
    }
    var from = source.djlModel().getBlock().getParameters();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      NDArray src = from.get(p.getKey()).getArray();
      p.getValue()
          .getArray()
          .set(src.toDevice(p.getValue().getArray().getDevice(), false).toByteBuffer());
    }
  }

  /** Builder: {@code setX} for required values, {@code optX} for optional ones. */
  public static final class Builder {
    private UNetConfig config;
    private Loss loss = Losses.named("focal-dice");
    private float learningRate = 1e-4f;
    private int seed = 42;
    private Device device;
    private SegmentationModel initialWeights;

    private Builder() {}

    /** The architecture to train (required). */
    public Builder setConfig(UNetConfig config) {
      this.config = config;
      return this;
    }

    /** The loss; default {@code focal-dice} (0.6·focal(γ=4) + 0.4·Dice). */
    public Builder optLoss(Loss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** Adam's fixed learning rate; default 1e-4. */
    public Builder optLearningRate(float learningRate) {
      if (!(learningRate > 0f)) {
        throw new IllegalArgumentException("learningRate must be > 0: " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Seed of PyTorch's generator (initial weights, dropout masks); default 42. Set process-wide
     * when the trainer is built.
     */
    public Builder optSeed(int seed) {
      this.seed = seed;
      return this;
    }

    /** Where to train; default {@link Devices#best()}. */
    public Builder optDevice(Device device) {
      this.device = device;
      return this;
    }

    /**
     * Starts from a loaded model's weights (fine-tuning, e.g. a retrain from the live model)
     * instead of a fresh Glorot initialisation. The optimiser state starts fresh. The source may be
     * closed once the trainer is built.
     */
    public Builder optInitialWeights(SegmentationModel source) {
      this.initialWeights = source;
      return this;
    }

    /** Builds the model and trainer (starts the engine if needed). */
    public SegmentationTrainer build() {
      return new SegmentationTrainer(this);
    }
  }
}
