package io.spineflow.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spineflow.events.Slice;
import io.spineflow.platform.TransactionalPublisher;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference loop: polls {@code slices}, forms batches dynamically ({@link BatchPolicy}), runs
 * each batch on the live model ({@link HotSwapSlot}), and publishes its masks and quality records
 * in one Kafka transaction together with the consumed offsets ({@link TransactionalPublisher}), so
 * every slice yields exactly one mask and one quality record, whatever crashes. The consumer and
 * the model's predictor are used by this loop's thread only; the producer by one publishing thread
 * ({@link PublishPipeline}), so a batch's forward pass overlaps the previous batch's commit, with
 * at most one transaction in flight, settled before anything that depends on its outcome.
 *
 * <p>Memory stays bounded whatever the backlog: the consumer is paused while the slices held
 * (polled, not yet published) could pass {@link HeldBound} with one more poll, and resumed when a
 * batch has gone out.
 *
 * <p>Offsets: each transaction commits, for every assigned partition, the first slice still held
 * or, with none held, the consumer's position. The position is past the transaction markers the
 * consumer skipped, so once the loop is idle the committed offset equals the end offset and lag
 * tools show 0 (offset + 1 of the last slice would be one marker short for ever). When no batch is
 * due, positions that moved are committed in a transaction of their own, at most every {@link
 * #IDLE_COMMIT_EVERY}.
 */
final class InferenceLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceLoop.class);

  static final Duration IDLE_COMMIT_EVERY = Duration.ofMillis(500);

  private final Consumer<String, byte[]> consumer;
  private final TransactionalPublisher<String, Object> publisher;
  private final Topics topics;
  private final HotSwapSlot<ServedModel> models;
  private final BatchPolicy policy;
  private final HeldBound bound;
  private final BatchRun batches;
  private final PendingSlices pending = new PendingSlices();
  private final PublishPipeline<Batch> transactions;

  /** What a transaction carried, accounted for once it committed; null slices: offsets only. */
  private record Batch(BatchRun.Result result, int slices) {}

  /** Offsets this instance committed, per assigned partition: only a moved position is sent. */
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger heldMax = new AtomicInteger();
  private final AtomicInteger pausedPartitions = new AtomicInteger();
  private final Counter slicesDone;
  private final Counter rejectedSlices;
  private final Timer batchTimer;
  private final DistributionSummary batchSizes;
  private final Timer endToEnd;
  private volatile boolean running = true;
  private volatile String state = "STARTING";
  private volatile String stopReason = "";
  private boolean subscribed;
  private boolean paused;
  private long lastIdleCommitNanos;

  /** A transaction settled inside a rebalance callback failed: rewind once poll returns. */
  private boolean rewindAfterPoll;

  /**
   * @param consumer of {@code slices}; its {@code max.poll.records} must be {@code
   *     bound.maxPollRecords()}
   */
  InferenceLoop(
      Consumer<String, byte[]> consumer,
      TransactionalPublisher<String, Object> publisher,
      Topics topics,
      HotSwapSlot<ServedModel> models,
      BatchPolicy policy,
      HeldBound bound,
      SliceOutputs outputs,
      MeterRegistry registry) {
    this.consumer = consumer;
    this.publisher = publisher;
    this.transactions = new PublishPipeline<>(publisher, "inference-publish");
    this.topics = topics;
    this.models = models;
    this.policy = policy;
    this.bound = bound;
    Gauge.builder("spineflow_inference_held_slices", held, AtomicInteger::get)
        .description("slices polled and not yet published (bounded by pausing the consumer)")
        .register(registry);
    Gauge.builder("spineflow_inference_held_slices_max", heldMax, AtomicInteger::get)
        .description("most slices held at once since start")
        .register(registry);
    Gauge.builder("spineflow_inference_held_slices_bound", bound, HeldBound::maxHeld)
        .description("the most slices the loop may hold: 2 x inference.max.batch")
        .register(registry);
    Gauge.builder("spineflow_inference_paused_partitions", pausedPartitions, AtomicInteger::get)
        .description("slices partitions paused because the held slices are at the bound")
        .register(registry);
    this.batches = new BatchRun(topics, outputs);
    this.slicesDone = registry.counter("spineflow_inference_slices");
    this.rejectedSlices = registry.counter("spineflow_inference_slices_rejected");
    this.batchTimer =
        Timer.builder("spineflow_inference_batch").publishPercentiles(0.5, 0.99).register(registry);
    this.batchSizes =
        DistributionSummary.builder("spineflow_inference_batch_size").register(registry);
    this.endToEnd =
        Timer.builder("spineflow_inference_end_to_end")
            .description("study received by ingest -> mask committed")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
  }

  /** RUNNING, WAITING_FOR_MODEL, STOPPED, FENCED or FAILED. */
  String state() {
    return state;
  }

  /** Why the loop stopped on its own (FENCED or FAILED), or "". */
  String stopReason() {
    return stopReason;
  }

  /** Slices held now. */
  int held() {
    return held.get();
  }

  /** The most slices held at once since start. */
  int heldMax() {
    return heldMax.get();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      publisher.init();
      while (running && !publisher.fenced()) {
        if (models.peek().isEmpty()) {
          // No model yet: consume nothing, so the slices wait in Kafka (lag grows, nothing
          // dropped).
          state = "WAITING_FOR_MODEL";
          models.awaitLive(Duration.ofMillis(200));
          continue;
        }
        if (!subscribed) {
          consumer.subscribe(List.of(topics.slices().name()), new Rebalance());
          subscribed = true;
        }
        state = "RUNNING";
        applyBound();
        long now = System.nanoTime();
        Duration timeout = policy.pollTimeout(pending.size(), pending.oldestArrivalNanos(), now);
        // Values stay bytes here: a poisonous record is dead-lettered by its batch, never thrown
        // out of poll().
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
          pending.add(record, System.nanoTime());
        }
        if (rewindAfterPoll) {
          rewindAfterPoll = false;
          rewind();
        }
        transactions.settleIfDone().ifPresent(this::account);
        countHeld();
        if (policy.shouldRun(pending.size(), pending.oldestArrivalNanos(), System.nanoTime())) {
          runBatch(pending.take(policy.maxBatchSize()));
        } else {
          commitMovedPositions();
        }
        countHeld();
      }
      if (publisher.fenced()) {
        fenced();
      } else {
        state = "STOPPED";
      }
    } catch (WakeupException e) {
      state = "STOPPED";
    } catch (FencedInstanceIdException e) {
      // Another consumer joined with this instance's static group.instance.id: the same
      // inference.instance.id started twice. The newer one owns the partitions now.
      stopReason =
          "fenced: another instance with the same inference.instance.id joined the group ("
              + e.getMessage()
              + "); this one stopped";
      state = "FENCED";
      LOG.error("inference loop stopped: {}", stopReason);
    } catch (RuntimeException e) {
      stopReason = e.toString();
      state = "FAILED";
      LOG.error("inference loop failed", e);
    } finally {
      try {
        transactions.close();
      } catch (RuntimeException e) {
        LOG.warn("the last transaction did not settle cleanly on stop: {}", e.toString());
      }
      pending.clear();
      countHeld();
    }
  }

  private void fenced() {
    stopReason =
        "fenced: another instance with the same inference.instance.id took over ("
            + publisher.fencedReason()
            + "); this one stopped and publishes nothing more";
    state = "FENCED";
  }

  /** Pauses every assigned partition while one more poll could pass the bound; else resumes. */
  private void applyBound() {
    boolean full = bound.pause(pending.size());
    if (full && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!full && paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
    pausedPartitions.set(paused ? consumer.paused().size() : 0);
  }

  private void countHeld() {
    int n = pending.size();
    held.set(n);
    heldMax.accumulateAndGet(n, Math::max);
  }

  /**
   * Runs {@code batch} on the live model while the previous transaction commits, then publishes it
   * once that one settled. If the previous one failed, the consumer was rewound and this batch's
   * records will be read again: its result is dropped.
   */
  private void runBatch(List<PendingSlices.Waiting> batch) {
    BatchRun.Result result;
    try (HotSwapSlot.Lease<ServedModel> lease = models.acquire().orElseThrow()) {
      result = batches.run(batch, lease.value(), Instant.now());
    }
    batchTimer.record(result.inferenceNanos(), TimeUnit.NANOSECONDS);
    batchSizes.record(result.segmented().size());
    if (settled() && running) {
      submit(result.records(), new Batch(result, batch.size()));
    }
  }

  /** Commits positions that moved (markers skipped, a drained partition) when no batch is due. */
  private void commitMovedPositions() {
    long now = System.nanoTime();
    if (transactions.busy() || now - lastIdleCommitNanos < IDLE_COMMIT_EVERY.toNanos()) {
      return;
    }
    lastIdleCommitNanos = now;
    if (!nextOffsets().isEmpty()) {
      submit(List.of(), new Batch(null, 0));
    }
  }

  /**
   * Starts a transaction of {@code records} with the offsets of every partition whose next offset
   * moved. Only with nothing in flight, so offsets are computed against what was committed.
   */
  private void submit(List<ProducerRecord<String, Object>> records, Batch batch) {
    transactions.submit(records, nextOffsets(), consumer.groupMetadata(), batch);
  }

  /**
   * Waits for the transaction in flight, if any, and accounts for it.
   *
   * @return whether it committed (or none was in flight); if not, held slices were dropped and the
   *     consumer rewound to the committed offsets (or the loop stops, when fenced)
   */
  private boolean settled() {
    return transactions.settle().map(this::account).orElse(true);
  }

  /** Accounts for a settled transaction; false (after rewinding or stopping) if it failed. */
  private boolean account(PublishPipeline.Settled<Batch> settled) {
    switch (settled.outcome()) {
      case COMMITTED -> {
        settled.offsets().forEach((tp, o) -> committed.put(tp, o.offset()));
        BatchRun.Result result = settled.attachment().result();
        if (result != null) {
          slicesDone.increment(result.segmented().size());
          rejectedSlices.increment(result.rejected());
          for (Slice slice : result.segmented()) {
            endToEnd.record(Duration.between(slice.getStudyReceivedAt(), Instant.now()));
          }
        }
        return true;
      }
      case FENCED -> {
        running = false;
        return false;
      }
      default -> {
        LOG.warn(
            "transaction of {} slices {}: reading again from the committed offsets",
            settled.attachment().slices(),
            settled.outcome() == TransactionalPublisher.Outcome.ABORTED
                ? "aborted"
                : "of unknown outcome");
        rewind();
        return false;
      }
    }
  }

  /**
   * For every assigned partition: the first slice held, or with none held the position (past any
   * transaction marker); only those ahead of what was committed.
   */
  private Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      long next = pending.firstOffset(tp);
      if (next < 0) {
        next = consumer.position(tp);
      }
      Long done = committed.get(tp);
      if (done == null || next > done) {
        out.put(tp, new OffsetAndMetadata(next));
      }
    }
    return out;
  }

  /**
   * After an aborted (or unknown) transaction: forget what is held and read again from the
   * committed offsets, which (read_committed) say whether the transaction took effect.
   */
  private void rewind() {
    pending.clear();
    committed.clear();
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(assigned);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata o = offsets.get(tp);
      if (o == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, o.offset());
        committed.put(tp, o.offset());
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      settleBeforeHandOver();
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        // Still at the bound: new partitions must not add records before a batch went out.
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      settleBeforeHandOver();
      forget(partitions);
    }

    /**
     * The transaction in flight carries offsets of these partitions: it must end before they are
     * handed over. If it failed, the rewind waits until poll returns (no seeking mid-rebalance).
     */
    private void settleBeforeHandOver() {
      transactions
          .settle()
          .ifPresent(
              s -> {
                if (s.outcome() == TransactionalPublisher.Outcome.COMMITTED) {
                  account(s);
                } else if (s.outcome() == TransactionalPublisher.Outcome.FENCED) {
                  running = false;
                } else {
                  rewindAfterPoll = true;
                }
              });
    }

    /** Their slices will be read again by whoever owns them now. */
    private void forget(Collection<TopicPartition> partitions) {
      pending.dropPartitions(partitions);
      partitions.forEach(committed::remove);
      countHeld();
    }
  }
}
