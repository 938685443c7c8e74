package io.spineflow.trainer;

import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.TransactionalPublisher;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
 *
 * <p>Transactions go through {@link TransactionalPublisher}: an outcome whose transaction was
 * aborted is published again (every {@link #RETRY_EVERY}) before anything else happens; fencing (a
 * second trainer for the same model) stops the coordinator in state FENCED; other Kafka errors are
 * retried with a back-off instead of failing the service. With no request pending, the consumer's
 * position on {@code retrain} (past transaction markers and records for other models) is committed
 * in a transaction of its own, so the group's lag is 0 when idle. At most {@link #MAX_PENDING}
 * requests are held; beyond that the consumer is paused and the rest waits in Kafka.
 */
final class TrainingCoordinator implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingCoordinator.class);
  private static final Duration POLL = Duration.ofMillis(200);
  static final Duration RETRY_EVERY = Duration.ofSeconds(1);
  static final Duration IDLE_COMMIT_EVERY = Duration.ofMillis(500);
  static final int MAX_PENDING = 256;

  private final TrainerConfig config;
  private final Topics topics;
  private final SliceCache cache;
  private final ModelStore store;
  private final Consumer<String, byte[]> retrainConsumer;
  private final EventDecoder<RetrainRequest> retrainDecoder;
  private final PoisonGate gate;
  private final LiveModelTracker liveModels;
  private final TransactionalPublisher<String, Object> outcomes;
  private final Producer<String, TrainingProgress> progress;
  private final TrainerMetrics metrics;
  private final Path serviceDir;
  private final String groupId;
  private final Clock clock;
  private final RetrainRequests requests = new RetrainRequests();
  private final ExecutorService worker;

  /** Offsets committed on {@code retrain}, per partition: only a moved position is sent. */
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  private volatile boolean running = true;

  /**
   * Whether this trainer holds the {@code retrain} partition (one partition, one member of the
   * group holds it): only the active trainer trains and publishes; the others are standbys.
   */
  private volatile boolean active;

  /** The partition was assigned: become active (fence the predecessor) before the next step. */
  private boolean activating;

  private volatile String state = "STARTING";
  private volatile String failure;
  private volatile String kafkaError;

  /** A run's outcome whose transaction did not commit yet, published again before anything else. */
  private Unpublished unpublished;

  private long nextAttemptNanos;
  private long lastIdleCommitNanos;
  private boolean paused;

  /** An ended run's outcome and what it honours, until its transaction commits. */
  private record Unpublished(CandidateRun.Outcome outcome, List<String> honoured, int studies) {}

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
      TransactionalPublisher<String, Object> outcomes,
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

  /** IDLE, TRAINING, WAITING_FOR_DATA, WAITING_TO_RETRY, PUBLISHING, STARTING, FENCED or FAILED. */
  String state() {
    return state;
  }

  /** Why the coordinator stopped with an error, or null. */
  String failure() {
    return failure;
  }

  /**
   * The last Kafka error the coordinator is retrying after, or null once an iteration succeeded.
   */
  String kafkaError() {
    return kafkaError;
  }

  /** The last run's outcome, e.g. {@code PROMOTED v3}, or "". */
  String lastOutcome() {
    return lastOutcome;
  }

  /** Complete studies when the last run took its snapshot. */
  int studiesAtLastRun() {
    return studiesAtLastRun;
  }

  /** Whether this trainer is the active one (holds the {@code retrain} partition). */
  boolean active() {
    return active;
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
      while (running && !outcomes.fenced()) {
        try {
          step();
          kafkaError = null;
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // The broker away, a request timing out: retried, never FAILED for it (the
          // publisher decides about the producer's own errors).
          kafkaError = e.toString();
          LOG.warn("Kafka error, retrying in {}: {}", RETRY_EVERY, e.toString());
          java.util.concurrent.locks.LockSupport.parkNanos(RETRY_EVERY.toNanos());
        }
      }
      if (outcomes.fenced()) {
        state = "FENCED";
        failure =
            "fenced: another trainer for "
                + config.modelName()
                + " took over its transactional id ("
                + outcomes.fencedReason()
                + "); this one stopped and publishes nothing more";
        LOG.error(failure);
      }
    } catch (WakeupException e) {
      LOG.debug("coordinator woken up to stop");
    } catch (IOException | RuntimeException e) {
      fail("coordinator failed: " + e, e);
    } finally {
      cancelRun();
      worker.shutdownNow();
      retrainConsumer.close();
      liveModels.close();
    }
  }

  /** One pass: read requests, follow the live model, then finish, publish, start or commit. */
  private void step() {
    pollRequests();
    if (activating) {
      activate();
    }
    liveModels.poll().ifPresent(a -> metrics.liveVersion.set(a.getVersion()));
    if (current != null) {
      if (current.isDone()) {
        finish();
      }
      return;
    }
    if (!active) {
      state = "STANDBY";
      return;
    }
    if (unpublished != null) {
      if (System.nanoTime() - nextAttemptNanos >= 0) {
        tryPublish();
      }
      return;
    }
    maybeStart();
    if (current == null) {
      commitMovedPositions();
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
    // The group decides who is active: retrain has one partition, so one member holds it and the
    // others wait as standbys; when the active one dies (its session expires) or leaves, a standby
    // is assigned the partition and takes over (activate).
    retrainConsumer.subscribe(List.of(topics.retrain().name()), new ActiveRole());
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
        "trainer for {}: live model {}, {} complete studies ({} at the last run), retrain group {}"
            + " (active once the group assigns it the retrain partition)",
        config.modelName(),
        live.map(a -> "v" + a.getVersion()).orElse("none"),
        cache.completeStudies(),
        studiesAtLastRun,
        groupId);
    state = "STANDBY";
  }

  /** Assignment of the {@code retrain} partition: the active role is taken or lost with it. */
  private final class ActiveRole implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        activating = true;
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        standDown("the retrain partition was revoked");
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      standDown("this trainer dropped out of the group (its session expired)");
    }
  }

  /**
   * Takes the active role: first initialise the transactional producer, whose stable id fences the
   * previous active trainer and aborts whatever transaction it left open (a promotion it was
   * publishing when it died is then never visible: not done at all, and done once by this one);
   * only then read the committed offsets, which are stable once that transaction is resolved.
   */
  private void activate() {
    outcomes.init();
    Set<TopicPartition> assigned = retrainConsumer.assignment();
    committed.clear();
    retrainConsumer
        .committed(assigned)
        .forEach(
            (tp, o) -> {
              if (o != null) {
                committed.put(tp, o.offset());
              }
            });
    // The previous active trainer's runs count as this one's: no retrain just for taking over.
    liveModels
        .live()
        .ifPresent(
            a ->
                studiesAtLastRun =
                    Math.max(
                        studiesAtLastRun,
                        a.getLineage().getTrainingStudies().size()
                            + a.getLineage().getValidationStudies().size()));
    activating = false;
    active = true;
    state = "IDLE";
    LOG.info(
        "active trainer for {}: holds {} (committed offsets {}); a predecessor's open transaction"
            + " was aborted",
        config.modelName(),
        assigned,
        committed);
  }

  /**
   * Gives the active role up (the partition went to another trainer): a run in progress is
   * cancelled, an outcome not yet committed is dropped (the new active trainer reads its requests
   * again and runs again), and the producer is closed, as the new active trainer fences it anyway.
   */
  private void standDown(String why) {
    activating = false;
    if (!active) {
      return;
    }
    active = false;
    unpublished = null;
    honouring = List.of();
    requests.forgetPending();
    committed.clear();
    paused = false;
    outcomes.close();
    if (failure != null || !running) {
      return; // stopping (FENCED, FAILED or closed): the consumer's close revokes the partition
    }
    state = "STANDBY";
    LOG.warn("trainer for {} is a standby again: {}", config.modelName(), why);
  }

  private void pollRequests() {
    // Requests are small, but a flood of them must not fill the heap: beyond MAX_PENDING they wait
    // in Kafka until a run has honoured the ones held.
    boolean full = requests.pending().size() >= MAX_PENDING;
    if (full != paused) {
      if (full) {
        retrainConsumer.pause(retrainConsumer.assignment());
      } else {
        retrainConsumer.resume(retrainConsumer.paused());
      }
      paused = full;
    }
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
            LogSafe.text(request.getRequestId()),
            LogSafe.text(request.getRequestedBy()),
            request.getOrigin(),
            LogSafe.text(request.getReason()),
            current != null ? "queued: it will run after the current training" : "accepted");
      } else if (ours) {
        LOG.info(
            "retrain request {} already honoured or pending: ignored",
            LogSafe.text(request.getRequestId()));
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
            () -> !running || !active,
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
    if (!active) {
      // A promoted candidate was saved to the store but is never announced: the active trainer
      // promotes its own run as the next version.
      LOG.warn(
          "run {} ended ({}) after this trainer lost the active role: not published",
          outcome.runId(),
          outcome.result());
      return;
    }
    progress.flush(); // the run's PROGRESS/EVALUATED events come before its outcome
    // A run to retry (the live model could not be loaded) is published so the dashboard shows
    // why, but honours nothing: the requests stay pending and the new-data trigger still fires.
    unpublished =
        new Unpublished(outcome, outcome.retry() ? List.of() : honouring, currentSnapshotStudies);
    honouring = List.of();
    tryPublish();
  }

  /** Publishes the ended run's outcome; if its transaction did not commit, again later. */
  private void tryPublish() {
    Unpublished u = unpublished;
    state = "PUBLISHING";
    if (!publish(u.outcome(), u.honoured())) {
      nextAttemptNanos = System.nanoTime() + RETRY_EVERY.toNanos();
      return;
    }
    unpublished = null;
    published(u.outcome(), u.honoured(), u.studies());
  }

  private void published(CandidateRun.Outcome outcome, List<String> honouring, int studies) {
    if (outcome.retry()) {
      retryAt = clock.instant().plus(config.gateRetryDelay());
      metrics.runEnded(outcome.result().name());
      lastOutcome = outcome.result() + " (retry at " + retryAt + ")";
      state = "WAITING_TO_RETRY";
      return;
    }
    retryAt = null;
    // The floor itself was committed with the announcement. The legacy file is still written for
    // the file backend only: there the store is a shared volume anyway, and the file keeps the
    // floor for an older trainer (a rolling upgrade or a downgrade) that reads only the file. With
    // an object store the store is a local cache nobody else reads: no file.
    if (store.blobs().isEmpty()) {
      outcome.floor().ifPresent(this::writeFloor);
    }
    requests.honour(honouring);
    try {
      requests.save(serviceDir.resolve("honoured-requests.txt"));
    } catch (IOException e) {
      LOG.warn("could not save honoured request ids: {}", e.toString());
    }
    studiesAtLastRun = studies;
    lastRunEnded = clock.instant();
    saveState();
    metrics.runEnded(outcome.result().name());
    metrics.pendingRequests.set(requests.pending().size());
    lastOutcome =
        outcome.result()
            + outcome.announcement().map(a -> " v" + a.getVersion()).orElse("")
            + (honouring.isEmpty() ? "" : " (requests " + honouring + ")");
    state = "IDLE";
  }

  /**
   * The outcome and the retrain offsets past the honoured requests, in one transaction.
   *
   * @return whether it committed
   */
  private boolean publish(CandidateRun.Outcome outcome, List<String> honoured) {
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
    Map<TopicPartition, OffsetAndMetadata> offsets = retrainOffsets(honoured);
    List<ProducerRecord<String, Object>> records = new ArrayList<>();
    Optional<ModelAnnouncement> previous = liveModels.live();
    outcome
        .announcement()
        .ifPresent(
            a -> {
              records.add(new ProducerRecord<>(topics.models().name(), config.modelName(), a));
              // The promotion's audit record commits or aborts with its announcement.
              records.add(
                  new ProducerRecord<>(
                      topics.audit().name(),
                      config.modelName(),
                      promotionAudit(a, previous, outcome.runId(), honoured)));
            });
    records.add(new ProducerRecord<>(topics.training().name(), config.modelName(), event));
    TransactionalPublisher.Outcome sent =
        outcomes.publish(records, offsets, retrainConsumer.groupMetadata());
    if (sent == TransactionalPublisher.Outcome.UNKNOWN && !offsets.isEmpty()) {
      // The group's committed offsets (read_committed) tell whether that transaction took effect.
      Map<TopicPartition, OffsetAndMetadata> now = retrainConsumer.committed(offsets.keySet());
      boolean took =
          offsets.entrySet().stream()
              .allMatch(
                  e ->
                      now.get(e.getKey()) != null
                          && now.get(e.getKey()).offset() == e.getValue().offset());
      sent =
          took ? TransactionalPublisher.Outcome.COMMITTED : TransactionalPublisher.Outcome.ABORTED;
    }
    if (sent != TransactionalPublisher.Outcome.COMMITTED) {
      LOG.warn(
          "run {}: outcome {} not published ({}); will try again", outcome.runId(), phase, sent);
      return false;
    }
    offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
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
        honoured.isEmpty() ? "" : "; honoured retrain requests " + LogSafe.text(honoured));
    return true;
  }

  /**
   * Per {@code retrain} partition: its first request still pending once {@code honoured} are, else
   * the consumer's position (past markers and records not for this model); only those that moved.
   */
  private Map<TopicPartition, OffsetAndMetadata> retrainOffsets(List<String> honoured) {
    Map<Integer, Long> positions = new HashMap<>();
    for (TopicPartition tp : retrainConsumer.assignment()) {
      positions.put(tp.partition(), retrainConsumer.position(tp));
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    requests
        .committableOffsetsAfter(honoured, positions)
        .forEach(
            (partition, offset) -> {
              TopicPartition tp = new TopicPartition(topics.retrain().name(), partition);
              Long done = committed.get(tp);
              if (done == null || offset > done) {
                offsets.put(tp, new OffsetAndMetadata(offset));
              }
            });
    return offsets;
  }

  /** When idle: commits positions that moved, in a transaction of their own. */
  private void commitMovedPositions() {
    long now = System.nanoTime();
    if (now - lastIdleCommitNanos < IDLE_COMMIT_EVERY.toNanos()) {
      return;
    }
    lastIdleCommitNanos = now;
    Map<TopicPartition, OffsetAndMetadata> offsets = retrainOffsets(List.of());
    if (offsets.isEmpty()) {
      return;
    }
    if (outcomes.publish(List.of(), offsets, retrainConsumer.groupMetadata())
        == TransactionalPublisher.Outcome.COMMITTED) {
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }
  }

  private AuditEvent promotionAudit(
      ModelAnnouncement promoted,
      Optional<ModelAnnouncement> previous,
      String runId,
      List<String> honoured) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("version", Integer.toString(promoted.getVersion()));
    details.put(
        "previousVersion", previous.map(p -> Integer.toString(p.getVersion())).orElse("none"));
    details.put("runId", runId);
    details.put("sha256", promoted.getSha256());
    if (!honoured.isEmpty()) {
      details.put("retrainRequests", String.join(",", honoured));
    }
    return AuditPublisher.event(
        AuditAction.PROMOTION,
        AuditOutcome.ACCEPTED,
        TrainerService.NAME,
        null,
        TrainerService.NAME,
        config.modelName(),
        details,
        clock.instant());
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
