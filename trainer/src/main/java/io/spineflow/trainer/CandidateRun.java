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
import io.spineflow.model.training.TrainingSet;
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
 * snapshot's validation set (a live model that cannot be loaded fails the run, to be retried: it is
 * never taken for "no live model"), reads the {@link QualityFloor} (from the live announcement,
 * {@link QualityFloor#current}), trains a candidate ({@link TrainingRun}, fine-tuning from the live
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
   * @param floor the quality floor the promotion's announcement carries (empty otherwise), also
   *     written to the legacy file once published when the model store has no blob store
   * @param retry a FAILED run that should run again after {@code trainer.gate.retry.delay}, its
   *     requests still pending (the live model could not be loaded, or the floor not read)
   */
  record Outcome(
      String runId,
      Result result,
      String message,
      Map<String, Double> candidate,
      Map<String, Double> live,
      Optional<ModelAnnouncement> announcement,
      long steps,
      int epochs,
      Optional<QualityFloor> floor,
      boolean retry) {

    /** An outcome that writes no floor and is not retried. */
    Outcome(
        String runId,
        Result result,
        String message,
        Map<String, Double> candidate,
        Map<String, Double> live,
        Optional<ModelAnnouncement> announcement,
        long steps,
        int epochs) {
      this(
          runId,
          result,
          message,
          candidate,
          live,
          announcement,
          steps,
          epochs,
          Optional.empty(),
          false);
    }
  }

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
    PromotionGate.Live liveState = PromotionGate.Live.none();
    TrainingResult result = null;
    try {
      Optional<QualityFloor> floor;
      try {
        // The live announcement carries the floor; the file only for announcements from before.
        floor =
            QualityFloor.current(
                liveAnnouncement, QualityFloor.file(store.root(), config.modelName()));
      } catch (IOException e) {
        return retry("the quality floor cannot be read (" + e.getMessage() + ")");
      }
      if (liveAnnouncement.isPresent()) {
        ModelAnnouncement a = liveAnnouncement.get();
        try {
          live = loadLive(a);
        } catch (ModelRejectedException | RuntimeException e) {
          // Never "no live model": that would judge the candidate as a first model and let it
          // replace a model nobody compared it with. The file may only be unmounted for a moment.
          return retry(
              "the live model v"
                  + a.getVersion()
                  + " could not be loaded ("
                  + e.getMessage()
                  + ")");
        }
        if (live.config().inputWidth() == architecture.inputWidth()
            && live.config().inputHeight() == architecture.inputHeight()) {
          liveScores = Validation.evaluate(live, data.validation(), evalBatch);
          liveState = PromotionGate.Live.scored(liveScores);
          LOG.info(
              "live model v{} on this validation set: {}", a.getVersion(), liveScores.summary());
        } else {
          liveState =
              PromotionGate.Live.unscored(
                  "live v"
                      + a.getVersion()
                      + " takes "
                      + live.config().inputWidth()
                      + "x"
                      + live.config().inputHeight()
                      + " slices, the candidate "
                      + architecture.inputWidth()
                      + "x"
                      + architecture.inputHeight());
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
        Optional<PromotionGate.FloorCheck> floorCheck =
            floor.map(f -> floorCheck(f, candidate, evalBatch));
        PromotionGate.Decision decision = config.gate().decide(scores, liveState, floorCheck);
        String message = decision.reason();
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
        // Past every version announced so far (the live one says which is highest, rollbacks
        // included), not only past what this trainer's store holds: with an object store the
        // store is a local cache that may be empty (a standby, a restarted pod).
        int version =
            Math.max(
                    store.latestVersion(config.modelName()).orElse(0),
                    liveAnnouncement.map(ModelAnnouncements::highestVersion).orElse(0))
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
        QualityFloor newFloor =
            floorCheck
                .map(c -> c.floor().raise(c.candidate(), version, clock.instant()))
                .orElseGet(
                    () ->
                        QualityFloor.first(
                            scores, data.validation().studyUids(), version, clock.instant()));
        ModelAnnouncement announcement =
            ModelAnnouncements.announcement(
                stored, scores.toMetrics(), lineage, AnnouncementKind.PROMOTED, clock.instant());
        // The floor travels with the promotion: committed in its transaction, it is raised exactly
        // when the model is announced, and every trainer (a standby, a restart on an empty disk)
        // finds it on the compacted topic.
        announcement.setQualityFloor(newFloor.toEvent());
        announcement.setHighestVersion(version);
        // With an object store (blobstore.type=s3) the files go there and the announcement names
        // them by SHA-256: inference needs no shared disk.
        store
            .publish(stored)
            .ifPresent(refs -> ModelAnnouncements.withArtifacts(announcement, refs));
        LOG.info("run {}: candidate promoted as {}: {}", runId, stored.label(), message);
        return new Outcome(
            runId,
            Result.PROMOTED,
            message,
            scores.toMetrics(),
            liveMetrics,
            Optional.of(announcement),
            result.steps(),
            result.epochs(),
            Optional.of(newFloor),
            false);
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
   * Loads the live model as announced (fetched from the object store when it names blobs), verified
   * the way inference verifies it (SHA-256, stored architecture equal to the announced one).
   */
  private SegmentationModel loadLive(ModelAnnouncement a) throws ModelRejectedException {
    UNetConfig announced;
    try {
      announced = ModelArchitectures.fromEvent(a.getArchitecture());
    } catch (IllegalArgumentException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.ARCHITECTURE_MISMATCH, e.getMessage(), e);
    }
    // With an object store the live model may have been promoted by another trainer (or before a
    // restart emptied this pod's disk): its files come from the bucket, not from the location.
    Path directory =
        a.getArtifacts() != null && store.blobs().isPresent()
            ? store.fetch(a.getModelName(), a.getVersion(), a.getArtifacts())
            : Path.of(java.net.URI.create(a.getLocation()));
    return ModelStore.load(
        directory, a.getSha256(), announced, Devices.parse(config.training().device()));
  }

  /**
   * The candidate's scores on the floor's reference studies that are still validation studies of
   * this snapshot. Studies that left (e.g. erased, or moved to training by another validation
   * fraction) are named in the note; with none left, every class is undefined and the gate rejects:
   * the floor cannot be evaluated.
   */
  private PromotionGate.FloorCheck floorCheck(
      QualityFloor floor, SegmentationModel candidate, int evalBatch) {
    TrainingSet reference = ReferenceSet.of(data.validation(), floor.referenceStudies());
    java.util.SortedSet<String> present = reference.studyUids();
    int missing = floor.referenceStudies().size() - present.size();
    String note =
        missing == 0
            ? ""
            : missing
                + " of the "
                + floor.referenceStudies().size()
                + " reference studies are no longer validation studies in the cache";
    ValidationScores scores =
        reference.isEmpty()
            ? ReferenceSet.undefined()
            : Validation.evaluate(candidate, reference, evalBatch);
    LOG.info("run {}: candidate on the floor's reference set: {}", runId, scores.summary());
    return new PromotionGate.FloorCheck(floor, scores, note);
  }

  private Outcome retry(String why) {
    String message = why + ": the run fails and is retried in " + config.gateRetryDelay();
    LOG.warn("run {}: {}", runId, message);
    return new Outcome(
        runId,
        Result.FAILED,
        message,
        Map.of(),
        Map.of(),
        Optional.empty(),
        0,
        0,
        Optional.empty(),
        true);
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
