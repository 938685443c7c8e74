package io.spineflow.trainer;

import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.training.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's {@link ProgressListener}: a progress bar in the log, the gauges of {@link
 * TrainerMetrics}, and {@link TrainingProgress} events on {@code training} (STARTED, PROGRESS at
 * most every {@link #PUBLISH_EVERY} and at the end of each epoch, EVALUATED after every epoch).
 * Sends are asynchronous, so a slow broker never slows training.
 */
final class ProgressReporter implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
  static final Duration PUBLISH_EVERY = Duration.ofSeconds(2);
  static final Duration LOG_EVERY = Duration.ofSeconds(10);
  private static final int BAR = 20;

  private final String modelName;
  private final String topic;
  private final String startMessage;
  private final Producer<String, TrainingProgress> producer;
  private final TrainerMetrics metrics;
  private final BooleanSupplier stop;
  private final Clock clock;
  private long lastPublish;
  private long lastLog;

  ProgressReporter(
      String modelName,
      String topic,
      String startMessage,
      Producer<String, TrainingProgress> producer,
      TrainerMetrics metrics,
      BooleanSupplier stop,
      Clock clock) {
    this.modelName = modelName;
    this.topic = topic;
    this.startMessage = startMessage;
    this.producer = producer;
    this.metrics = metrics;
    this.stop = stop;
    this.clock = clock;
  }

  @Override
  public void onStart(Start s) {
    metrics.training.set(1);
    metrics.epoch.set(0);
    metrics.step.set(0);
    metrics.totalSteps.set(s.totalSteps());
    String message =
        String.format(
            Locale.ROOT,
            "%s; %d training slices, %d validation slices, %d epochs x %d steps at most",
            startMessage,
            s.trainSlices(),
            s.validationSlices(),
            s.maxEpochs(),
            s.stepsPerEpoch());
    LOG.info("run {} started: {}", s.runId(), message);
    send(event(s.runId(), TrainingPhase.STARTED, 0, 0, s.totalSteps()).setMessage(message).build());
    lastPublish = nanos();
    lastLog = nanos();
  }

  @Override
  public void onStep(Step s) {
    metrics.epoch.set(s.epoch());
    metrics.step.set(s.step());
    metrics.loss.set(s.loss());
    metrics.etaSeconds.set(s.eta().toMillis() / 1000.0);
    metrics.stepSeconds.set(s.meanStepMillis() / 1000.0);
    long now = nanos();
    boolean epochEnd = s.stepInEpoch() == s.stepsPerEpoch();
    if (now - lastLog >= LOG_EVERY.toNanos() || s.step() == 1) {
      LOG.info(bar(s));
      lastLog = now;
    }
    if (now - lastPublish >= PUBLISH_EVERY.toNanos() || epochEnd) {
      send(
          event(s.runId(), TrainingPhase.PROGRESS, s.epoch(), s.step(), s.totalSteps())
              .setLoss((double) s.loss())
              .setEtaSeconds(s.eta().toMillis() / 1000.0)
              .build());
      lastPublish = now;
    }
  }

  @Override
  public void onEvaluation(Evaluation e) {
    metrics.scores(e.scores());
    metrics.nativeArrays.set(e.nativeArrays());
    metrics.etaSeconds.set(e.eta().toMillis() / 1000.0);
    LOG.info(
        "run {} epoch {}/{}: loss {} | validation {}{} | eta {} | native arrays {}, RSS {} MiB",
        e.runId(),
        e.epoch(),
        e.maxEpochs(),
        String.format(Locale.ROOT, "%.4f", e.meanLoss()),
        e.scores().summary(),
        e.improved() ? " (best, checkpointed)" : " (best: epoch " + e.bestEpoch() + ")",
        format(e.eta()),
        e.nativeArrays(),
        e.rssBytes() >> 20);
    send(
        event(e.runId(), TrainingPhase.EVALUATED, e.epoch(), e.step(), e.totalSteps())
            .setLoss(Double.isNaN(e.meanLoss()) ? null : e.meanLoss())
            .setValidationDice(e.scores().toMetrics())
            .setEtaSeconds(e.eta().toMillis() / 1000.0)
            .setMessage(e.improved() ? "best so far" : "best: epoch " + e.bestEpoch())
            .build());
    lastPublish = nanos();
  }

  @Override
  public boolean shouldStop() {
    return stop.getAsBoolean();
  }

  /** A {@link TrainingProgress} builder with the common fields set. */
  TrainingProgress.Builder event(
      String runId, TrainingPhase phase, int epoch, long step, long total) {
    return TrainingProgress.newBuilder()
        .setModelName(modelName)
        .setRunId(runId)
        .setPhase(phase)
        .setEpoch(epoch)
        .setStep((int) Math.min(Integer.MAX_VALUE, step))
        .setTotalSteps((int) Math.min(Integer.MAX_VALUE, total))
        .setValidationDice(Map.of())
        .setMessage("")
        .setAt(clock.instant());
  }

  private void send(TrainingProgress progress) {
    producer.send(
        new ProducerRecord<>(topic, modelName, progress),
        (metadata, error) -> {
          if (error != null) {
            LOG.warn("could not publish training progress: {}", error.toString());
          }
        });
  }

  /** e.g. {@code run 1a2b epoch 3/60 [######--------------] 30% step 72/1440 loss 0.4321 ...}. */
  static String bar(Step s) {
    double fraction = s.totalSteps() == 0 ? 0 : (double) s.step() / s.totalSteps();
    int filled = (int) Math.round(fraction * BAR);
    return String.format(
        Locale.ROOT,
        "run %s epoch %d/%d [%s%s] %3.0f%% step %d/%d loss %.4f | %.0f ms/step | eta %s",
        s.runId(),
        s.epoch(),
        s.maxEpochs(),
        "#".repeat(filled),
        "-".repeat(BAR - filled),
        100 * fraction,
        s.step(),
        s.totalSteps(),
        s.loss(),
        s.meanStepMillis(),
        format(s.eta()));
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  private long nanos() {
    return System.nanoTime();
  }
}
