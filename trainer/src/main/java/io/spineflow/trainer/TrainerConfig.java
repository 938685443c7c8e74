package io.spineflow.trainer;

import static io.spineflow.trainer.TrainerSettings.BASE_WIDTH;
import static io.spineflow.trainer.TrainerSettings.BATCH_SIZE;
import static io.spineflow.trainer.TrainerSettings.CLASS_MARGIN;
import static io.spineflow.trainer.TrainerSettings.DEPTH;
import static io.spineflow.trainer.TrainerSettings.DEVICE;
import static io.spineflow.trainer.TrainerSettings.EPOCHS;
import static io.spineflow.trainer.TrainerSettings.FAILOVER_TIMEOUT;
import static io.spineflow.trainer.TrainerSettings.FINE_TUNE;
import static io.spineflow.trainer.TrainerSettings.FIRST_MIN_DICE;
import static io.spineflow.trainer.TrainerSettings.FOCAL_GAMMA;
import static io.spineflow.trainer.TrainerSettings.GATE_RETRY_DELAY;
import static io.spineflow.trainer.TrainerSettings.LEARNING_RATE;
import static io.spineflow.trainer.TrainerSettings.LOSS;
import static io.spineflow.trainer.TrainerSettings.MAX_STEPS;
import static io.spineflow.trainer.TrainerSettings.MEAN_MARGIN;
import static io.spineflow.trainer.TrainerSettings.MIN_STUDIES;
import static io.spineflow.trainer.TrainerSettings.MODEL_NAME;
import static io.spineflow.trainer.TrainerSettings.PATIENCE;
import static io.spineflow.trainer.TrainerSettings.PROFILE;
import static io.spineflow.trainer.TrainerSettings.SCHEDULE;
import static io.spineflow.trainer.TrainerSettings.SEED;
import static io.spineflow.trainer.TrainerSettings.SLICE_HEIGHT;
import static io.spineflow.trainer.TrainerSettings.SLICE_WIDTH;
import static io.spineflow.trainer.TrainerSettings.TARGET_DICE;
import static io.spineflow.trainer.TrainerSettings.THREADS;
import static io.spineflow.trainer.TrainerSettings.TIME_BUDGET;
import static io.spineflow.trainer.TrainerSettings.TRIGGER_NEW_STUDIES;
import static io.spineflow.trainer.TrainerSettings.VALIDATION_FRACTION;
import static io.spineflow.trainer.TrainerSettings.VARIANT;

import io.spineflow.model.Losses;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.UNetVariant;
import io.spineflow.model.training.StudySplit;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The trainer service's configuration, resolved once from {@link TrainerSettings} and injected
 * through {@link TrainerService}'s constructor.
 *
 * @param modelName the model trained and announced (key on {@code models} and {@code retrain})
 * @param modelStore the versioned model store shared with inference
 * @param profile {@code cpu} or {@code paper} ({@link TrainingOptions#profile})
 * @param training how each run trains (its checkpoint directory and run id are set per run)
 * @param validationFraction share of studies held out, by a stable hash of the UID
 * @param minStudies complete labelled studies needed before any training
 * @param triggerNewStudies retrain after this many new complete studies (0: never)
 * @param schedule retrain this long after the last run if new data arrived (null: never)
 * @param fineTune start from the live model's weights when the architecture matches
 * @param gate the promotion rule
 * @param gateRetryDelay how long after a run that could not read the live model (or the quality
 *     floor) it runs again
 * @param threads PyTorch intra-op threads (0: all cores)
 * @param failoverTimeout how long after the active trainer stops answering a standby takes over
 *     (the {@code retrain} consumer's session timeout)
 */
public record TrainerConfig(
    String modelName,
    Path modelStore,
    String profile,
    TrainingOptions training,
    double validationFraction,
    int minStudies,
    int triggerNewStudies,
    Duration schedule,
    boolean fineTune,
    PromotionGate gate,
    Duration gateRetryDelay,
    int threads,
    Duration failoverTimeout) {

  /** Checks the fields. */
  public TrainerConfig {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelStore, "modelStore");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(gateRetryDelay, "gateRetryDelay");
    Objects.requireNonNull(failoverTimeout, "failoverTimeout");
    new StudySplit(validationFraction);
  }

  /** Resolves every setting (command line over environment over default). */
  public static TrainerConfig from(Settings settings) {
    String name = settings.string(MODEL_NAME);
    if (name.isBlank()) {
      throw new ConfigException(MODEL_NAME.name(), "must not be empty");
    }
    String profile = settings.string(PROFILE).toLowerCase(Locale.ROOT);
    if (!UNetConfig.profileNames().contains(profile)) {
      throw new ConfigException(
          PROFILE.name(), "unknown profile '" + profile + "'; known: " + UNetConfig.profileNames());
    }
    TrainingOptions d = TrainingOptions.profile(profile).build();
    UNetConfig base = d.architecture();
    UNetConfig architecture;
    try {
      int width = optionalInt(settings, BASE_WIDTH, base.baseWidth(), 1, 1024);
      int depth = optionalInt(settings, DEPTH, base.depth(), 1, 7);
      int bottleneck =
          width == base.baseWidth() && depth == base.depth()
              ? base.bottleneckChannels()
              : width << depth;
      architecture =
          base.withVariant(variant(settings.string(VARIANT)))
              .withWidths(width, depth, bottleneck)
              .withInputSize(
                  optionalInt(settings, SLICE_WIDTH, base.inputWidth(), 8, 4096),
                  optionalInt(settings, SLICE_HEIGHT, base.inputHeight(), 8, 4096));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(VARIANT.name(), e.getMessage());
    }
    String loss = settings.string(LOSS).toLowerCase(Locale.ROOT);
    if (!Losses.names().contains(loss)) {
      throw new ConfigException(
          LOSS.name(), "unknown loss '" + loss + "'; known: " + Losses.names());
    }
    String budget = settings.string(TIME_BUDGET);
    String target = settings.string(TARGET_DICE);
    TrainingOptions training =
        d.toBuilder()
            .setArchitecture(architecture)
            .optLoss(loss)
            .optFocalGamma((float) settings.decimal(FOCAL_GAMMA, 0, 20))
            .optLearningRate(
                settings.string(LEARNING_RATE).isEmpty()
                    ? d.learningRate()
                    : (float) settings.decimal(LEARNING_RATE, 1e-8, 1))
            .optBatchSize(optionalInt(settings, BATCH_SIZE, d.batchSize(), 1, 4096))
            .optMaxEpochs(optionalInt(settings, EPOCHS, d.maxEpochs(), 1, 100_000))
            .optPatience(optionalInt(settings, PATIENCE, d.patience(), 1, 100_000))
            .optMaxSteps(settings.longValue(MAX_STEPS, 0, Long.MAX_VALUE))
            .optTimeBudget(budget.isEmpty() ? null : settings.duration(TIME_BUDGET))
            .optTargetDice(target.isEmpty() ? Double.NaN : settings.decimal(TARGET_DICE, 0.01, 1))
            .optSeed(settings.integer(SEED, Integer.MIN_VALUE, Integer.MAX_VALUE))
            .optDevice(settings.string(DEVICE))
            .build();
    String schedule = settings.string(SCHEDULE);
    return new TrainerConfig(
        name,
        ModelSettings.store(settings),
        profile,
        training,
        settings.decimal(VALIDATION_FRACTION, 0.01, 0.9),
        settings.integer(MIN_STUDIES, 2, 1_000_000),
        settings.integer(TRIGGER_NEW_STUDIES, 0, 1_000_000),
        schedule.isEmpty() ? null : settings.duration(SCHEDULE),
        settings.bool(FINE_TUNE),
        new PromotionGate(
            settings.decimal(FIRST_MIN_DICE, 0, 1),
            settings.decimal(MEAN_MARGIN, 0, 1),
            settings.decimal(CLASS_MARGIN, 0, 1)),
        settings.duration(GATE_RETRY_DELAY),
        settings.integer(THREADS, 0, 1024),
        failoverTimeout(settings));
  }

  private static Duration failoverTimeout(Settings settings) {
    Duration timeout = settings.duration(FAILOVER_TIMEOUT);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new ConfigException(
          FAILOVER_TIMEOUT.name(),
          "must be between 1s and 30m (and within the broker's group.min.session.timeout.ms, 6 s"
              + " by default, and group.max.session.timeout.ms), got "
              + timeout);
    }
    return timeout;
  }

  /** A copy with other training options (e.g. a tiny model in tests). */
  public TrainerConfig withTraining(TrainingOptions newTraining) {
    return new TrainerConfig(
        modelName,
        modelStore,
        profile,
        newTraining,
        validationFraction,
        minStudies,
        triggerNewStudies,
        schedule,
        fineTune,
        gate,
        gateRetryDelay,
        threads,
        failoverTimeout);
  }

  /** The train/validation split. */
  public StudySplit split() {
    return new StudySplit(validationFraction);
  }

  /**
   * A variant by its wire name ({@code modified-unet}, {@code plain-unet}, {@code inception-unet},
   * as {@link io.spineflow.model.ModelArchitectures} writes them).
   */
  static UNetVariant variant(String name) {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (UNetVariant v : UNetVariant.values()) {
      if (v.name().equals(n)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown model variant '"
            + name
            + "'; known: "
            + java.util.Arrays.stream(UNetVariant.values())
                .map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList());
  }

  private static int optionalInt(
      Settings settings, Setting setting, int fallback, int min, int max) {
    return settings.string(setting).isEmpty() ? fallback : settings.integer(setting, min, max);
  }
}
