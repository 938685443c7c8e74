package io.spineflow.trainer;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to train and publishes what came of it, on its own thread; the training itself runs
 * on a worker thread ({@link CandidateRun}), one run at a time.
 *
 * <p>Triggers: pending {@code retrain} requests for this model, {@code triggerNewStudies} new
 * complete labelled studies since the last run, and optionally a schedule. Whatever arrives while a
 * run is in progress is coalesced into the next run.
 *
 * <p>Exactly once: the outcome of a run (a {@code TrainingProgress} PROMOTED/REJECTED/FAILED on
 * {@code training}, and for a promotion the {@code ModelAnnouncement} on {@code models}) is
 * published in one Kafka transaction together with the {@code retrain} consumer offsets past the
 * requests that run honoured: the requests count as honoured exactly when the outcome is visible.
 * Requests that arrived during the run are not committed past, so a crash never loses them; ids
 * already honoured are remembered (also on disk), so a repeated id is not honoured twice.
 */
final class TrainingCoordinator implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingCoordinator.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final TrainerConfig config;
  private final Topics topics;
  private final SliceCache cache;
  private final ModelStore store;
  private final Consumer<String, byte[]> retrainConsumer;
  private final EventDecoder<RetrainRequest> retrainDecoder;
  private final PoisonGate gate;
  private final LiveModelTracker liveModels;
  private final Producer<String, Object> outcomes;
  private final Producer<String, TrainingProgress> progress;
  private final TrainerMetrics metrics;
  private final Path serviceDir;
  private final String groupId;
  private final Clock clock;
  private final RetrainRequests requests = new RetrainRequests();
  private final ExecutorService worker;

  private volatile boolean running = true;
  private volatile String state = "STARTING";
  private volatile String failure;
  private volatile String lastOutcome = "";
  private volatile int studiesAtLastRun;
  private Instant lastRunEnded;
  private Instant retryAt; // a failed run to retry is not started before then
  private Future<CandidateRun.Outcome> current;
  private List<String> honouring = List.of();
  private int currentSnapshotStudies;
  private int lastWaitCheck = -1;
  private long lastWaitCheckAt;

  TrainingCoordinator(
      TrainerConfig config,
      Topics topics,
      SliceCache cache,
      ModelStore store,
      Consumer<String, byte[]> retrainConsumer,
      PoisonGate gate,
      LiveModelTracker liveModels,
      Producer<String, Object> outcomes,
      Producer<String, TrainingProgress> progress,
      TrainerMetrics metrics,
      Path serviceDir,
      String groupId,
      Clock clock) {
    this.config = config;
    this.topics = topics;
    this.cache = cache;
    this.store = store;
    this.retrainConsumer = retrainConsumer;
    this.retrainDecoder = new EventDecoder<>(topics.retrain());
    this.gate = gate;
    this.liveModels = liveModels;
    this.outcomes = outcomes;
    this.progress = progress;
    this.metrics = metrics;
    this.serviceDir = serviceDir;
    this.groupId = groupId;
    this.clock = clock;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "trainer-run");
              t.setDaemon(true);
              return t;
            });
  }

  /** IDLE, TRAINING, WAITING_FOR_DATA, WAITING_TO_RETRY, STARTING or FAILED. */
  String state() {
    return state;
  }

  /** Why the coordinator stopped with an error, or null. */
  String failure() {
    return failure;
  }

  /** The last run's outcome, e.g. {@code PROMOTED v3}, or "". */
  String lastOutcome() {
    return lastOutcome;
  }

  /** Complete studies when the last run took its snapshot. */
  int studiesAtLastRun() {
    return studiesAtLastRun;
  }

  /** Asks the loop and a running training to stop; {@link #run()} returns soon after. */
  void stop() {
    running = false;
    retrainConsumer.wakeup();
  }

  @Override
  public void run() {
    try {
      initialise();
      while (running) {
        pollRequests();
        liveModels.poll().ifPresent(a -> metrics.liveVersion.set(a.getVersion()));
        if (current != null) {
          if (current.isDone()) {
            finish();
          }
          continue;
        }
        maybeStart();
      }
    } catch (WakeupException e) {
      LOG.debug("coordinator woken up to stop");
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      fail("another trainer took over this model's transactional id, or Kafka refused it: " + e, e);
    } catch (IOException | RuntimeException e) {
      fail("coordinator failed: " + e, e);
    } finally {
      cancelRun();
      worker.shutdownNow();
      retrainConsumer.close();
      liveModels.close();
    }
  }

  private void fail(String message, Exception e) {
    failure = message;
    state = "FAILED";
    LOG.error(message, e);
  }

  private void initialise() throws IOException {
    requests.load(serviceDir.resolve("honoured-requests.txt"));
    loadState();
    List<TopicPartition> partitions =
        retrainConsumer.partitionsFor(topics.retrain().name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    retrainConsumer.assign(partitions);
    Map<TopicPartition, OffsetAndMetadata> committed =
        retrainConsumer.committed(new java.util.HashSet<>(partitions));
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = committed.get(tp);
      if (o == null) {
        retrainConsumer.seekToBeginning(List.of(tp));
      } else {
        retrainConsumer.seek(tp, o.offset());
      }
    }
    Optional<ModelAnnouncement> live = liveModels.readToEnd(Duration.ofSeconds(10));
    live.ifPresent(a -> metrics.liveVersion.set(a.getVersion()));
    if (lastRunEnded == null) {
      lastRunEnded = clock.instant(); // the schedule counts from the first start
    }
    if (studiesAtLastRun < 0) {
      // No state file: count the live model's studies as trained on, or none.
      studiesAtLastRun =
          live.map(
                  a ->
                      a.getLineage().getTrainingStudies().size()
                          + a.getLineage().getValidationStudies().size())
              .orElse(0);
    }
    LOG.info(
        "trainer for {}: live model {}, {} complete studies ({} at the last run), retrain group {}",
        config.modelName(),
        live.map(a -> "v" + a.getVersion()).orElse("none"),
        cache.completeStudies(),
        studiesAtLastRun,
        groupId);
    state = "IDLE";
  }

  private void pollRequests() {
    for (ConsumerRecord<String, byte[]> r : retrainConsumer.poll(POLL)) {
      // A poisonous request is dead-lettered and offered as "not ours", so its offset is still
      // committed with the next run.
      RetrainRequest request = gate.decode(retrainDecoder, r).orElse(null);
      boolean ours =
          request != null
              && config
                  .modelName()
                  .equals(request.getModelName() == null ? r.key() : request.getModelName());
      if (requests.offer(r.partition(), r.offset(), ours ? request : null)) {
        LOG.info(
            "retrain request {} from {} ({}: {}) {}",
            request.getRequestId(),
            request.getRequestedBy(),
            request.getOrigin(),
            request.getReason(),
            current != null ? "queued: it will run after the current training" : "accepted");
      } else if (ours) {
        LOG.info("retrain request {} already honoured or pending: ignored", request.getRequestId());
      }
    }
    metrics.pendingRequests.set(requests.pending().size());
  }

  /**
   * Why a run should start now, one reason per trigger; empty when none fires.
   *
   * @param pendingIds retrain requests waiting
   * @param complete complete labelled studies now
   * @param studiesAtLastRun complete studies when the last run took its snapshot
   * @param triggerNewStudies new studies that trigger a run (0: never)
   * @param schedule time after the last run after which new studies trigger a run (null: never)
   * @param lastRunEnded when the last run ended (or the trainer started, if it never ran)
   * @param now the current time
   */
  static List<String> triggers(
      List<String> pendingIds,
      int complete,
      int studiesAtLastRun,
      int triggerNewStudies,
      Duration schedule,
      Instant lastRunEnded,
      Instant now) {
    List<String> triggers = new ArrayList<>();
    if (!pendingIds.isEmpty()) {
      triggers.add("retrain requests " + pendingIds);
    }
    int fresh = complete - studiesAtLastRun;
    if (triggerNewStudies > 0 && fresh >= triggerNewStudies) {
      triggers.add(fresh + " new labelled studies");
    }
    if (schedule != null
        && fresh > 0
        && Duration.between(lastRunEnded, now).compareTo(schedule) >= 0) {
      triggers.add("schedule (" + fresh + " new labelled studies in " + schedule + ")");
    }
    return triggers;
  }

  private void maybeStart() {
    if (retryAt != null && clock.instant().isBefore(retryAt)) {
      state = "WAITING_TO_RETRY";
      return;
    }
    int complete = cache.completeStudies();
    List<String> ids = requests.pendingIds();
    List<String> triggers =
        triggers(
            ids,
            complete,
            studiesAtLastRun,
            config.triggerNewStudies(),
            config.schedule(),
            lastRunEnded,
            clock.instant());
    if (triggers.isEmpty()) {
      state = complete < config.minStudies() ? "WAITING_FOR_DATA" : "IDLE";
      return;
    }
    // A trigger waits for enough data; look again only when the data changed or every 5 s.
    if (complete == lastWaitCheck && System.nanoTime() - lastWaitCheckAt < 5_000_000_000L) {
      return;
    }
    SliceCache.Snapshot snapshot =
        cache.snapshot(
            config.split(),
            config.training().architecture().inputWidth(),
            config.training().architecture().inputHeight(),
            topics.slices().name());
    int trainStudies = snapshot.train().studyUids().size();
    int validationStudies = snapshot.validation().studyUids().size();
    if (snapshot.completeStudies() < config.minStudies()
        || trainStudies == 0
        || validationStudies == 0) {
      if (complete != lastWaitCheck) {
        LOG.info(
            "waiting for data before training ({}): {} complete studies of {} needed, {} in"
                + " training and {} in validation (at least 1 each)",
            String.join(", ", triggers),
            snapshot.completeStudies(),
            config.minStudies(),
            trainStudies,
            validationStudies);
      }
      lastWaitCheck = complete;
      lastWaitCheckAt = System.nanoTime();
      state = "WAITING_FOR_DATA";
      return;
    }
    lastWaitCheck = -1;
    String runId = UUID.randomUUID().toString().substring(0, 8);
    honouring = ids;
    currentSnapshotStudies = snapshot.completeStudies();
    // Read to the end: an operator's rollback may just have changed the live model. Not reaching
    // the end is not "no live model": the candidate would be gated as a first model. Try later.
    Optional<ModelAnnouncement> live = liveModels.readToEnd(Duration.ofSeconds(5));
    if (!liveModels.caughtUp()) {
      retryAt = clock.instant().plus(config.gateRetryDelay());
      LOG.warn(
          "could not read {} to its end: the live model is unknown, training waits until {}",
          topics.models().name(),
          retryAt);
      state = "WAITING_TO_RETRY";
      return;
    }
    String message =
        String.format(
            Locale.ROOT,
            "trigger: %s; %d training studies, %d validation studies%s",
            String.join(", ", triggers),
            trainStudies,
            validationStudies,
            live.map(a -> "; live model v" + a.getVersion()).orElse("; no live model"));
    ProgressReporter reporter =
        new ProgressReporter(
            config.modelName(),
            topics.training().name(),
            message,
            progress,
            metrics,
            () -> !running,
            clock);
    CandidateRun run =
        new CandidateRun(
            runId,
            config,
            snapshot,
            live,
            store,
            serviceDir.resolve("checkpoints"),
            reporter,
            clock);
    state = "TRAINING";
    current = worker.submit(run);
  }

  private void finish() {
    CandidateRun.Outcome outcome;
    try {
      outcome = current.get();
    } catch (ExecutionException e) {
      outcome =
          new CandidateRun.Outcome(
              "?",
              CandidateRun.Result.FAILED,
              String.valueOf(e.getCause()),
              Map.of(),
              Map.of(),
              Optional.empty(),
              0,
              0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      current = null;
    }
    if (outcome.result() == CandidateRun.Result.CANCELLED) {
      LOG.info("run {} cancelled; its requests stay pending", outcome.runId());
      return;
    }
    progress.flush(); // the run's PROGRESS/EVALUATED events come before its outcome
    if (outcome.retry()) {
      // Published so the dashboard shows why, but nothing counts as done: the requests stay
      // pending (their offsets uncommitted) and the new-data trigger still fires.
      publish(outcome, List.of());
      retryAt = clock.instant().plus(config.gateRetryDelay());
      metrics.runEnded(outcome.result().name());
      lastOutcome = outcome.result() + " (retry at " + retryAt + ")";
      state = "WAITING_TO_RETRY";
      return;
    }
    retryAt = null;
    publish(outcome, honouring);
    outcome.floor().ifPresent(this::writeFloor);
    requests.honour(honouring);
    try {
      requests.save(serviceDir.resolve("honoured-requests.txt"));
    } catch (IOException e) {
      LOG.warn("could not save honoured request ids: {}", e.toString());
    }
    studiesAtLastRun = currentSnapshotStudies;
    lastRunEnded = clock.instant();
    saveState();
    metrics.runEnded(outcome.result().name());
    metrics.pendingRequests.set(requests.pending().size());
    lastOutcome =
        outcome.result()
            + outcome.announcement().map(a -> " v" + a.getVersion()).orElse("")
            + (honouring.isEmpty() ? "" : " (requests " + honouring + ")");
    honouring = List.of();
    state = "IDLE";
  }

  /** The outcome and the retrain offsets past the honoured requests, in one transaction. */
  private void publish(CandidateRun.Outcome outcome, List<String> honoured) {
    Map<String, Double> numbers = new LinkedHashMap<>(outcome.candidate());
    outcome.live().forEach((k, v) -> numbers.put("live." + k, v));
    TrainingPhase phase =
        switch (outcome.result()) {
          case PROMOTED -> TrainingPhase.PROMOTED;
          case REJECTED -> TrainingPhase.REJECTED;
          default -> TrainingPhase.FAILED;
        };
    TrainingProgress event =
        TrainingProgress.newBuilder()
            .setModelName(config.modelName())
            .setRunId(outcome.runId())
            .setPhase(phase)
            .setEpoch(outcome.epochs())
            .setStep((int) Math.min(Integer.MAX_VALUE, outcome.steps()))
            .setTotalSteps((int) Math.min(Integer.MAX_VALUE, outcome.steps()))
            .setValidationDice(numbers)
            .setCandidateVersion(
                outcome.announcement().map(ModelAnnouncement::getVersion).orElse(null))
            .setMessage(
                outcome.message()
                    + (honoured.isEmpty() ? "" : "; honoured retrain requests " + honoured))
            .setAt(clock.instant())
            .build();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    requests
        .committableOffsetsAfter(honoured)
        .forEach(
            (partition, offset) ->
                offsets.put(
                    new TopicPartition(topics.retrain().name(), partition),
                    new OffsetAndMetadata(offset)));
    outcomes.beginTransaction();
    try {
      outcome
          .announcement()
          .ifPresent(
              a ->
                  outcomes.send(
                      new ProducerRecord<>(topics.models().name(), config.modelName(), a)));
      outcomes.send(new ProducerRecord<>(topics.training().name(), config.modelName(), event));
      if (!offsets.isEmpty()) {
        outcomes.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(groupId));
      }
      outcomes.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e; // fatal: the coordinator stops and /health says why
    } catch (KafkaException e) {
      outcomes.abortTransaction();
      throw e;
    }
    outcome
        .announcement()
        .ifPresent(
            a -> {
              liveModels.assume(a);
              metrics.liveVersion.set(a.getVersion());
            });
    LOG.info(
        "run {}: {} published{}",
        outcome.runId(),
        phase,
        honoured.isEmpty() ? "" : "; honoured retrain requests " + honoured);
  }

  private void writeFloor(QualityFloor floor) {
    Path file = QualityFloor.file(store.root(), config.modelName());
    try {
      floor.write(file);
      LOG.info(
          "quality floor: mean Dice {} on {} reference studies (set by v{}, raised by v{})",
          String.format(Locale.ROOT, "%.4f", floor.meanDice()),
          floor.referenceStudies().size(),
          floor.setByVersion(),
          floor.raisedByVersion());
    } catch (IOException e) {
      // The floor stays where it was: lower, never wrong in the unsafe direction.
      LOG.warn("could not write the quality floor {}: {}", file, e.toString());
    }
  }

  private void cancelRun() {
    Future<CandidateRun.Outcome> f = current;
    if (f != null) {
      try {
        f.get(60, TimeUnit.SECONDS); // the run sees !running between steps and stops
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("training did not stop cleanly: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loadState() throws IOException {
    Path file = serviceDir.resolve("state.properties");
    studiesAtLastRun = -1;
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      studiesAtLastRun = Integer.parseInt(p.getProperty("studiesAtLastRun", "0"));
      String ended = p.getProperty("lastRunEnded");
      lastRunEnded = ended == null ? null : Instant.parse(ended);
    }
  }

  private void saveState() {
    Properties p = new Properties();
    p.setProperty("studiesAtLastRun", Integer.toString(studiesAtLastRun));
    if (lastRunEnded != null) {
      p.setProperty("lastRunEnded", lastRunEnded.toString());
    }
    Path file = serviceDir.resolve("state.properties");
    Path temp = serviceDir.resolve("state.properties.tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        p.store(out, "trainer state");
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("could not save the trainer state: {}", e.toString());
    }
  }
}
