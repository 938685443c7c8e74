package io.spineflow.platform;

import static io.spineflow.platform.TransactionalPublisher.Action.ABORT;
import static io.spineflow.platform.TransactionalPublisher.Action.RECREATE;
import static io.spineflow.platform.TransactionalPublisher.Action.RETHROW;
import static io.spineflow.platform.TransactionalPublisher.Action.RETRY_COMMIT;
import static io.spineflow.platform.TransactionalPublisher.Action.STOP_FENCED;
import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.platform.TransactionalPublisher.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link TransactionalPublisher} one by one, then its flows on Kafka's in-memory
 * {@link MockProducer} with failures injected where a real broker cannot be made to fail on cue (a
 * commit that times out exactly twice). Fencing on a real broker: {@code TransactionalPublisherIT}.
 */
class TransactionalPublisherTest {
  private static final TopicPartition IN = new TopicPartition("in", 0);
  private static final ConsumerGroupMetadata GROUP = AssignedGroup.metadata("group");

  @Test
  void aTimedOutCommitIsRetriedNeverAborted() {
    assertThat(TransactionalPublisher.decide(new TimeoutException("slow"), true))
        .isEqualTo(RETRY_COMMIT);
    assertThat(
            TransactionalPublisher.decide(
                new org.apache.kafka.common.errors.InterruptException("i"), true))
        .isEqualTo(RETRY_COMMIT);
    assertThat(TransactionalPublisher.decide(new TimeoutException("slow send"), false))
        .as("before the commit a timeout is abortable")
        .isEqualTo(ABORT);
  }

  @Test
  void fencingStopsWhateverTheStep() {
    for (boolean committing : new boolean[] {true, false}) {
      assertThat(TransactionalPublisher.decide(new ProducerFencedException("f"), committing))
          .isEqualTo(STOP_FENCED);
      assertThat(TransactionalPublisher.decide(new FencedInstanceIdException("f"), committing))
          .isEqualTo(STOP_FENCED);
    }
  }

  @Test
  void fatalErrorsOtherThanFencingRecreateTheProducer() {
    for (RuntimeException e :
        List.of(
            new OutOfOrderSequenceException("seq"),
            new InvalidPidMappingException("expired id"),
            new TransactionalIdAuthorizationException("acl"),
            new IllegalStateException("producer in error state"))) {
      assertThat(TransactionalPublisher.decide(e, false)).as(e.toString()).isEqualTo(RECREATE);
      assertThat(TransactionalPublisher.decide(e, true)).as(e.toString()).isEqualTo(RECREATE);
    }
  }

  @Test
  void abortableErrorsAbort() {
    for (RuntimeException e :
        List.of(
            new InvalidProducerEpochException("epoch"),
            new TransactionAbortableException("abortable"),
            new KafkaException("a send failed"))) {
      assertThat(TransactionalPublisher.decide(e, true)).as(e.toString()).isEqualTo(ABORT);
    }
    assertThat(TransactionalPublisher.decide(new NullPointerException(), false))
        .as("a bug is not Kafka's to retry")
        .isEqualTo(RETHROW);
  }

  @Test
  void aCommitThatTimesOutTwiceIsRetriedAndCommitsOnce() {
    List<FlakyProducer> made = new ArrayList<>();
    TransactionalPublisher<String, String> publisher =
        new TransactionalPublisher<>(
            "test",
            () -> {
              FlakyProducer p = new FlakyProducer(2);
              made.add(p);
              return p;
            },
            Duration.ofMinutes(1));
    Outcome outcome =
        publisher.publish(
            List.of(new ProducerRecord<>("out", "k", "v")),
            Map.of(IN, new OffsetAndMetadata(5)),
            GROUP);
    assertThat(outcome).isEqualTo(Outcome.COMMITTED);
    assertThat(made).hasSize(1);
    assertThat(made.get(0).commitCount()).isEqualTo(1);
    assertThat(made.get(0).transactionAborted()).isFalse();
    assertThat(publisher.commitRetries()).isEqualTo(2);
  }

  @Test
  void aCommitThatNeverAnswersRecreatesTheProducerAndSaysUnknown() {
    List<FlakyProducer> made = new ArrayList<>();
    TransactionalPublisher<String, String> publisher =
        new TransactionalPublisher<>(
            "test",
            () -> {
              FlakyProducer p = new FlakyProducer(made.isEmpty() ? Integer.MAX_VALUE : 0);
              made.add(p);
              return p;
            },
            Duration.ofMillis(50));
    assertThat(publisher.publish(List.of(new ProducerRecord<>("out", "k", "v")), Map.of(), GROUP))
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).closed()).isTrue();
    assertThat(made.get(1).transactionInitialized()).isTrue();
    assertThat(publisher.publish(List.of(new ProducerRecord<>("out", "k", "v")), Map.of(), GROUP))
        .as("the fresh producer works")
        .isEqualTo(Outcome.COMMITTED);
  }

  @Test
  void anAbortableSendFailureAbortsAndTheNextTransactionCommits() {
    FlakyProducer producer = new FlakyProducer(0);
    TransactionalPublisher<String, String> publisher =
        new TransactionalPublisher<>("test", () -> producer, Duration.ofMinutes(1));
    producer.sendOffsetsToTransactionException = new KafkaException("rebalanced");
    assertThat(
            publisher
                .publish(List.of(), Map.of(IN, new OffsetAndMetadata(1)), GROUP)
                .equals(Outcome.ABORTED))
        .isTrue();
    assertThat(producer.transactionAborted()).isTrue();
    producer.sendOffsetsToTransactionException = null;
    assertThat(publisher.publish(List.of(), Map.of(IN, new OffsetAndMetadata(1)), GROUP))
        .isEqualTo(Outcome.COMMITTED);
    assertThat(publisher.aborts()).isEqualTo(1);
  }

  @Test
  void aFatalErrorRecreatesTheProducer() {
    List<FlakyProducer> made = new ArrayList<>();
    TransactionalPublisher<String, String> publisher =
        new TransactionalPublisher<>(
            "test",
            () -> {
              FlakyProducer p = new FlakyProducer(0);
              if (made.isEmpty()) {
                p.commitTransactionException = new OutOfOrderSequenceException("lost a batch");
              }
              made.add(p);
              return p;
            },
            Duration.ofMinutes(1));
    assertThat(publisher.publish(List.of(new ProducerRecord<>("out", "k", "v")), Map.of(), GROUP))
        .isEqualTo(Outcome.ABORTED);
    assertThat(made).hasSize(2);
    assertThat(publisher.recreations()).isEqualTo(1);
    assertThat(publisher.publish(List.of(new ProducerRecord<>("out", "k", "v")), Map.of(), GROUP))
        .isEqualTo(Outcome.COMMITTED);
  }

  @Test
  void fencedOnceFencedForEver() {
    List<FlakyProducer> made = new ArrayList<>();
    TransactionalPublisher<String, String> publisher =
        new TransactionalPublisher<>(
            "test",
            () -> {
              FlakyProducer p = new FlakyProducer(0);
              made.add(p);
              return p;
            },
            Duration.ofMinutes(1));
    publisher.init();
    made.get(0).fenceProducer();
    assertThat(publisher.publish(List.of(new ProducerRecord<>("out", "k", "v")), Map.of(), GROUP))
        .isEqualTo(Outcome.FENCED);
    assertThat(publisher.fenced()).isTrue();
    assertThat(publisher.fencedReason()).contains("Fenced");
    assertThat(publisher.publish(List.of(), Map.of(), GROUP)).isEqualTo(Outcome.FENCED);
    assertThat(made).as("never recreated after fencing").hasSize(1);
  }

  /** Kafka's in-memory producer whose first {@code timeouts} commits time out. */
  private static final class FlakyProducer extends MockProducer<String, String> {
    private int timeouts;

    FlakyProducer(int timeouts) {
      super(true, null, new StringSerializer(), new StringSerializer());
      this.timeouts = timeouts;
    }

    @Override
    public void commitTransaction() {
      if (timeouts > 0) {
        timeouts--;
        throw new TimeoutException("commit not acknowledged within max.block.ms");
      }
      super.commitTransaction();
    }
  }
}
