package io.spineflow.trainer;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelLineage;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.ProgressListener;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.model.training.TrainingRun;
import io.spineflow.model.training.Validation;
import io.spineflow.model.training.ValidationScores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run of the service, from a data snapshot to a decision: scores the live model on the
 * snapshot's validation set, trains a candidate ({@link TrainingRun}, fine-tuning from the live
 * model when configured and the architecture matches), scores the candidate on the same set, asks
 * the {@link PromotionGate}, and on promotion saves it as the next version in the {@link
 * ModelStore}. Publishing is left to the coordinator (one transaction with the retrain offsets).
 */
final class CandidateRun implements Callable<CandidateRun.Outcome> {
  private static final Logger LOG = LoggerFactory.getLogger(CandidateRun.class);

  /** How the run ended. */
  enum Result {
    PROMOTED,
    REJECTED,
    FAILED,
    CANCELLED
  }

  /**
   * What the coordinator publishes.
   *
   * @param runId the run
   * @param result how it ended
   * @param message why (the gate's reason, or the failure)
   * @param candidate the candidate's validation metrics (empty if none)
   * @param live the live model's validation metrics (empty if none)
   * @param announcement the announcement to publish when promoted
   * @param steps steps trained
   * @param epochs epochs trained
   */
  record Outcome(
      String runId,
      Result result,
      String message,
      Map<String, Double> candidate,
      Map<String, Double> live,
      Optional<ModelAnnouncement> announcement,
      long steps,
      int epochs) {}

  private final String runId;
  private final TrainerConfig config;
  private final SliceCache.Snapshot data;
  private final Optional<ModelAnnouncement> liveAnnouncement;
  private final ModelStore store;
  private final Path checkpointDir;
  private final ProgressListener listener;
  private final Clock clock;

  CandidateRun(
      String runId,
      TrainerConfig config,
      SliceCache.Snapshot data,
      Optional<ModelAnnouncement> liveAnnouncement,
      ModelStore store,
      Path checkpointDir,
      ProgressListener listener,
      Clock clock) {
    this.runId = runId;
    this.config = config;
    this.data = data;
    this.liveAnnouncement = liveAnnouncement;
    this.store = store;
    this.checkpointDir = checkpointDir;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public Outcome call() {
    UNetConfig architecture = config.training().architecture();
    int evalBatch = Math.max(8, config.training().batchSize());
    SegmentationModel live = null;
    ValidationScores liveScores = null;
    String liveNote = "";
    TrainingResult result = null;
    try {
      if (liveAnnouncement.isPresent()) {
        ModelAnnouncement a = liveAnnouncement.get();
        try {
          live = loadLive(a);
          if (live.config().inputWidth() == architecture.inputWidth()
              && live.config().inputHeight() == architecture.inputHeight()) {
            liveScores = Validation.evaluate(live, data.validation(), evalBatch);
            LOG.info(
                "live model v{} on this validation set: {}", a.getVersion(), liveScores.summary());
          } else {
            liveNote =
                "live v" + a.getVersion() + " takes another input size: gated as a first model";
          }
        } catch (ModelRejectedException | RuntimeException e) {
          liveNote =
              "live v"
                  + a.getVersion()
                  + " could not be loaded ("
                  + e.getMessage()
                  + "): gated as a first model";
          LOG.warn(liveNote);
        }
      }
      boolean fineTune =
          config.fineTune() && live != null && live.config().differences(architecture).isEmpty();
      TrainingOptions options =
          config.training().toBuilder().optRunId(runId).optCheckpointDir(checkpointDir).build();
      result =
          TrainingRun.run(
              data.train(), data.validation(), options, fineTune ? live : null, listener);
      if (result.stopReason() == TrainingResult.StopReason.CANCELLED) {
        return new Outcome(
            runId,
            Result.CANCELLED,
            "cancelled",
            Map.of(),
            Map.of(),
            Optional.empty(),
            result.steps(),
            result.epochs());
      }
      if (result.checkpoint().isEmpty()) {
        return failed("no epoch was scored", result);
      }
      try (SegmentationModel candidate = result.loadBest(Devices.parse(options.device()))) {
        // Scored again through the same path as the live model: a like-for-like comparison that
        // also proves the checkpoint round-trips.
        ValidationScores scores = Validation.evaluate(candidate, data.validation(), evalBatch);
        PromotionGate.Decision decision =
            config.gate().decide(scores, Optional.ofNullable(liveScores));
        String message = decision.reason() + (liveNote.isEmpty() ? "" : "; " + liveNote);
        Map<String, Double> liveMetrics = liveScores == null ? Map.of() : liveScores.toMetrics();
        if (!decision.promote()) {
          LOG.info("run {}: candidate rejected: {}", runId, message);
          return new Outcome(
              runId,
              Result.REJECTED,
              message,
              scores.toMetrics(),
              liveMetrics,
              Optional.empty(),
              result.steps(),
              result.epochs());
        }
        Integer parent = fineTune ? liveAnnouncement.get().getVersion() : null;
        int version =
            Math.max(
                    store.latestVersion(config.modelName()).orElse(0),
                    liveAnnouncement.map(ModelAnnouncement::getVersion).orElse(0))
                + 1;
        ModelLineage lineage =
            ModelAnnouncements.lineage(
                result.trainStudies(),
                result.validationStudies(),
                data.sliceOffsets(),
                parent,
                options.seed());
        StoredModel stored =
            store.save(
                config.modelName(),
                version,
                candidate.djlModel(),
                candidate.config(),
                ModelAnnouncements.metadata(scores.toMetrics(), lineage, facts(options, result)));
        ModelAnnouncement announcement =
            ModelAnnouncements.announcement(
                stored, scores.toMetrics(), lineage, AnnouncementKind.PROMOTED, clock.instant());
        LOG.info("run {}: candidate promoted as {}: {}", runId, stored.label(), message);
        return new Outcome(
            runId,
            Result.PROMOTED,
            message,
            scores.toMetrics(),
            liveMetrics,
            Optional.of(announcement),
            result.steps(),
            result.epochs());
      }
    } catch (IOException | ModelRejectedException | RuntimeException e) {
      LOG.error("run {} failed", runId, e);
      return failed(e.getMessage() == null ? e.toString() : e.getMessage(), result);
    } finally {
      if (live != null) {
        live.close();
      }
      if (result != null) {
        try {
          result.deleteCheckpoint();
        } catch (RuntimeException e) {
          LOG.warn("could not delete the checkpoints of run {}: {}", runId, e.toString());
        }
      }
    }
  }

  /**
   * Loads the live model as announced, verified the way inference verifies it (SHA-256, stored
   * architecture equal to the announced one).
   */
  private SegmentationModel loadLive(ModelAnnouncement a) throws ModelRejectedException {
    UNetConfig announced;
    try {
      announced = ModelArchitectures.fromEvent(a.getArchitecture());
    } catch (IllegalArgumentException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.ARCHITECTURE_MISMATCH, e.getMessage(), e);
    }
    return ModelStore.load(
        Path.of(java.net.URI.create(a.getLocation())),
        a.getSha256(),
        announced,
        Devices.parse(config.training().device()));
  }

  private Outcome failed(String message, TrainingResult result) {
    return new Outcome(
        runId,
        Result.FAILED,
        message,
        Map.of(),
        Map.of(),
        Optional.empty(),
        result == null ? 0 : result.steps(),
        result == null ? 0 : result.epochs());
  }

  private static Map<String, Object> facts(TrainingOptions o, TrainingResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", r.runId());
    m.put("loss", o.loss());
    m.put("focalGamma", o.focalGamma());
    m.put("learningRate", o.learningRate());
    m.put("batchSize", o.batchSize());
    m.put("epochs", r.epochs());
    m.put("bestEpoch", r.bestEpoch());
    m.put("steps", r.steps());
    m.put("stopReason", r.stopReason().name());
    m.put("seed", o.seed());
    m.put("trainSlices", r.trainSlices());
    m.put("meanStepMillis", String.format(Locale.ROOT, "%.1f", r.meanStepMillis()));
    m.put("durationSeconds", r.duration().toMillis() / 1000.0);
    m.put(
        "history",
        r.history().stream()
            .map(
                e ->
                    Map.of(
                        "epoch",
                        e.epoch(),
                        "loss",
                        e.meanLoss(),
                        "metrics",
                        e.scores().toMetrics()))
            .toList());
    return m;
  }
}
