package io.spineflow.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes records and consumer offsets in one Kafka transaction, and decides what each failure
 * means, the same way for every transactional service (inference, trainer):
 *
 * <ul>
 *   <li>a {@code commitTransaction} that times out is <em>retried</em> (the producer allows it, and
 *       an abort after it would throw: the commit may already be under way), for up to {@code
 *       commitRetryFor}; if it still has not answered, the producer is recreated, whose {@code
 *       initTransactions} completes or aborts the transaction, and the outcome is {@link
 *       Outcome#UNKNOWN};
 *   <li>an abortable error (a send or offset commit that failed, a timeout before the commit, a
 *       rebalance, {@code InvalidProducerEpochException}, {@code TransactionAbortableException})
 *       aborts the transaction: {@link Outcome#ABORTED}, nothing of it is visible;
 *   <li>a fatal error other than fencing ({@code OutOfOrderSequenceException}, {@code
 *       InvalidPidMappingException}, authorization, an unsupported version, a producer in an error
 *       state) closes the producer and makes a fresh one (new epoch, same transactional id), up to
 *       {@link #MAX_RECREATIONS} times in a row with a back-off: {@link Outcome#ABORTED};
 *   <li>fencing ({@code ProducerFencedException}: another producer with the same transactional id
 *       initialised after this one; {@code FencedInstanceIdException}: another consumer with the
 *       same static group instance id) is final: the producer is closed and every later call
 *       answers {@link Outcome#FENCED}, so the caller stops cleanly. Recreating the producer would
 *       fence the newer instance in turn, and the two would take turns for ever.
 * </ul>
 *
 * <p>{@code InvalidProducerEpochException} is abortable rather than fencing: Kafka raises it on a
 * produce request with an epoch the partition leader has seen superseded (KIP-588), which an abort
 * resolves; a producer that really was fenced gets {@code ProducerFencedException} on the abort.
 *
 * <p>Not thread-safe: one thread (the service's loop) uses it.
 */
public final class TransactionalPublisher<K, V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

  /** Fresh producers in a row after fatal errors before {@link #publish} gives up and throws. */
  public static final int MAX_RECREATIONS = 5;

  /**
   * How long services retry a commit that timed out: twice the producer's default {@code
   * transaction.timeout.ms}, after which the coordinator has settled the transaction either way.
   */
  public static final Duration COMMIT_RETRY = Duration.ofMinutes(2);

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What became of one transaction. */
  public enum Outcome {
    /** Committed: its records and offsets are visible. */
    COMMITTED,
    /** Aborted: nothing of it is visible; the caller may try again. */
    ABORTED,
    /**
     * The commit did not answer in time and the producer was recreated: the transaction is either
     * committed or aborted, whichever its coordinator had reached; the committed consumer offsets
     * (read with {@code read_committed}) say which.
     */
    UNKNOWN,
    /** Another instance took over the transactional id: this publisher is done. */
    FENCED
  }

  /** What to do about one failure. */
  enum Action {
    RETRY_COMMIT,
    ABORT,
    RECREATE,
    STOP_FENCED,
    RETHROW
  }

  private final String name;
  private final Supplier<? extends Producer<K, V>> factory;
  private final Duration commitRetryFor;
  private Producer<K, V> producer;
  private volatile boolean fenced;
  private volatile String fencedBy = "";
  private int recreationsInARow;
  private long commitRetries;
  private long recreations;
  private long aborts;

  /**
   * @param name for logs and {@link #fencedReason()}, e.g. {@code inference-0}
   * @param factory makes a transactional producer (same transactional id each time); the publisher
   *     owns what it makes and closes it
   * @param commitRetryFor how long a timed-out commit is retried before the producer is recreated
   */
  public TransactionalPublisher(
      String name, Supplier<? extends Producer<K, V>> factory, Duration commitRetryFor) {
    this.name = name;
    this.factory = factory;
    this.commitRetryFor = commitRetryFor;
  }

  /**
   * What a failure means: pure, so the decisions are unit-tested one by one.
   *
   * @param e what the producer (or the consumer, in {@code sendOffsetsToTransaction}) threw
   * @param committing whether it came from {@code commitTransaction}
   */
  static Action decide(RuntimeException e, boolean committing) {
    if (e instanceof ProducerFencedException || e instanceof FencedInstanceIdException) {
      return Action.STOP_FENCED;
    }
    if (committing && (e instanceof TimeoutException || e instanceof InterruptException)) {
      return Action.RETRY_COMMIT;
    }
    if (isFatal(e)) {
      return Action.RECREATE;
    }
    if (!(e instanceof KafkaException)) {
      return Action.RETHROW; // a bug of the caller's (a serializer's NPE...), not Kafka's
    }
    return Action.ABORT;
  }

  /** Errors after which this producer can do nothing more (fencing aside). */
  private static boolean isFatal(RuntimeException e) {
    return e instanceof OutOfOrderSequenceException
        || e instanceof InvalidPidMappingException
        || e instanceof AuthorizationException
        || e instanceof AuthenticationException
        || e instanceof UnsupportedVersionException
        || e instanceof UnsupportedForMessageFormatException
        // The producer refuses every transactional call once it is in a fatal error state.
        || e instanceof IllegalStateException;
  }

  /** Creates the producer and initialises its transactions (fencing any predecessor). */
  public void init() {
    if (producer == null && !fenced) {
      producer = freshProducer();
    }
  }

  /**
   * Sends {@code records} and commits {@code offsets} for {@code group}, in one transaction.
   *
   * @param offsets the next offset to read per partition; may be empty
   * @throws KafkaException if {@link #MAX_RECREATIONS} fresh producers in a row failed
   * @throws WakeupException if the consumer was woken up (the caller is stopping)
   */
  public Outcome publish(
      List<? extends ProducerRecord<K, V>> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    if (fenced) {
      return Outcome.FENCED;
    }
    init();
    try {
      producer.beginTransaction();
      for (ProducerRecord<K, V> r : records) {
        producer.send(r);
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, group);
      }
    } catch (WakeupException e) {
      abortQuietly();
      throw e;
    } catch (RuntimeException e) {
      return handle(e, false);
    }
    return commit();
  }

  private Outcome commit() {
    long deadline = System.nanoTime() + commitRetryFor.toNanos();
    while (true) {
      try {
        producer.commitTransaction();
        recreationsInARow = 0;
        return Outcome.COMMITTED;
      } catch (RuntimeException e) {
        Action action = decide(e, true);
        if (action != Action.RETRY_COMMIT) {
          return handle(e, true);
        }
        if (System.nanoTime() - deadline >= 0) {
          LOG.warn(
              "{}: the commit has not answered for {}; recreating the producer, which completes"
                  + " or aborts the transaction",
              name,
              commitRetryFor);
          recreate(e);
          return fenced ? Outcome.FENCED : Outcome.UNKNOWN;
        }
        commitRetries++;
        LOG.warn("{}: commit timed out, retrying it: {}", name, e.toString());
      }
    }
  }

  private Outcome handle(RuntimeException e, boolean committing) {
    switch (decide(e, committing)) {
      case STOP_FENCED -> {
        fence(e);
        return Outcome.FENCED;
      }
      case RETHROW -> {
        abortQuietly();
        throw e;
      }
      case RECREATE -> {
        LOG.warn("{}: producer failed fatally, recreating it: {}", name, e.toString());
        recreate(e);
        return fenced ? Outcome.FENCED : Outcome.ABORTED;
      }
      default -> {
        LOG.warn("{}: transaction aborted, to be retried: {}", name, e.toString());
        return abort();
      }
    }
  }

  private Outcome abort() {
    aborts++;
    long deadline = System.nanoTime() + commitRetryFor.toNanos();
    while (true) {
      try {
        producer.abortTransaction();
        return Outcome.ABORTED;
      } catch (RuntimeException e) {
        Action action = decide(e, true);
        if (action == Action.STOP_FENCED) {
          fence(e);
          return Outcome.FENCED;
        }
        if (action == Action.RETRY_COMMIT && System.nanoTime() - deadline < 0) {
          continue; // an abort that timed out may be retried like a commit
        }
        LOG.warn("{}: abort failed, recreating the producer: {}", name, e.toString());
        recreate(e);
        return fenced ? Outcome.FENCED : Outcome.ABORTED;
      }
    }
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException ignored) {
      // Stopping: closing the producer aborts on the coordinator's side anyway.
    }
  }

  /** Closes the producer and makes a fresh one, backing off after repeated failures. */
  private void recreate(RuntimeException cause) {
    recreations++;
    closeProducer();
    while (true) {
      if (++recreationsInARow > MAX_RECREATIONS) {
        throw new KafkaException(
            name + ": " + MAX_RECREATIONS + " fresh producers in a row failed; last: " + cause,
            cause);
      }
      backoff(recreationsInARow);
      try {
        producer = freshProducer();
        return;
      } catch (ProducerFencedException e) {
        fence(e);
        return;
      } catch (RuntimeException e) {
        LOG.warn("{}: a fresh producer failed too: {}", name, e.toString());
        cause = e;
        closeProducer();
      }
    }
  }

  private Producer<K, V> freshProducer() {
    Producer<K, V> p = factory.get();
    try {
      p.initTransactions();
    } catch (RuntimeException e) {
      p.close(Duration.ZERO);
      throw e;
    }
    return p;
  }

  private static void backoff(int attempt) {
    long millis =
        Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10));
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private void fence(RuntimeException e) {
    fenced = true;
    fencedBy = e.toString();
    LOG.error(
        "{}: fenced: another instance with the same transactional id (or group instance id) took"
            + " over; stopping ({})",
        name,
        e.toString());
    closeProducer();
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the old producer: {}", name, e.toString());
      }
      producer = null;
    }
  }

  /** Whether another instance took over; every publish answers FENCED from then on. */
  public boolean fenced() {
    return fenced;
  }

  /** Why it was fenced, or "". */
  public String fencedReason() {
    return fencedBy;
  }

  /** Timed-out commits retried so far. */
  public long commitRetries() {
    return commitRetries;
  }

  /** Producers recreated so far after fatal errors or unanswered commits. */
  public long recreations() {
    return recreations;
  }

  /** Transactions aborted so far. */
  public long aborts() {
    return aborts;
  }

  /** The current producer (for client metrics), or null when fenced or between producers. */
  public Producer<K, V> producer() {
    return producer;
  }

  @Override
  public void close() {
    closeProducerGracefully();
  }

  private void closeProducerGracefully() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
      producer = null;
    }
  }
}
