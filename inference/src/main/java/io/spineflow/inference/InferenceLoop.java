package io.spineflow.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spineflow.events.Slice;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference loop: polls {@code slices}, forms batches dynamically ({@link BatchPolicy}), runs
 * each batch on the live model ({@link HotSwapSlot}), and publishes its masks and quality records
 * in one Kafka transaction together with the consumed offsets, so every slice yields exactly one
 * mask and one quality record, whatever crashes. Single-threaded: the consumer, the producer and
 * the model's predictor are used by this loop only.
 */
final class InferenceLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceLoop.class);

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, Object> producer;
  private final Topics topics;
  private final HotSwapSlot<ServedModel> models;
  private final BatchPolicy policy;
  private final BatchRun batches;
  private final PendingSlices pending = new PendingSlices();
  private final Counter slicesDone;
  private final Counter rejectedSlices;
  private final Timer batchTimer;
  private final DistributionSummary batchSizes;
  private final Timer endToEnd;
  private volatile boolean running = true;
  private volatile String state = "STARTING";
  private boolean subscribed;

  InferenceLoop(
      Consumer<String, byte[]> consumer,
      Producer<String, Object> producer,
      Topics topics,
      HotSwapSlot<ServedModel> models,
      BatchPolicy policy,
      SliceOutputs outputs,
      MeterRegistry registry) {
    this.consumer = consumer;
    this.producer = producer;
    this.topics = topics;
    this.models = models;
    this.policy = policy;
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

  /** RUNNING, WAITING_FOR_MODEL, STOPPED or FAILED. */
  String state() {
    return state;
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      producer.initTransactions();
      while (running) {
        if (models.peek().isEmpty()) {
          // No model yet: consume nothing, so the slices wait in Kafka (lag grows, nothing
          // dropped).
          state = "WAITING_FOR_MODEL";
          models.awaitLive(Duration.ofMillis(200));
          continue;
        }
        if (!subscribed) {
          consumer.subscribe(List.of(topics.slices().name()), new DropRevoked());
          subscribed = true;
        }
        state = "RUNNING";
        long now = System.nanoTime();
        Duration timeout = policy.pollTimeout(pending.size(), pending.oldestArrivalNanos(), now);
        // Values stay bytes here: a poisonous record is dead-lettered by its batch, never thrown
        // out of poll().
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
          pending.add(record, System.nanoTime());
        }
        if (policy.shouldRun(pending.size(), pending.oldestArrivalNanos(), System.nanoTime())) {
          runBatch(pending.take(policy.maxBatchSize()));
        }
      }
      state = "STOPPED";
    } catch (WakeupException e) {
      state = "STOPPED";
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      state = "FAILED";
      LOG.error("inference loop stopped: {}", e.toString());
    } catch (RuntimeException e) {
      state = "FAILED";
      LOG.error("inference loop failed", e);
    } finally {
      pending.clear();
    }
  }

  private void runBatch(List<PendingSlices.Waiting> batch) {
    BatchOffsets offsets = BatchOffsets.of(batch);
    try (HotSwapSlot.Lease<ServedModel> lease = models.acquire().orElseThrow()) {
      BatchRun.Result result = batches.run(batch, lease.value(), Instant.now());
      batchTimer.record(result.inferenceNanos(), TimeUnit.NANOSECONDS);
      batchSizes.record(result.segmented().size());
      producer.beginTransaction();
      try {
        result.records().forEach(producer::send);
        producer.sendOffsetsToTransaction(offsets.toCommit(), consumer.groupMetadata());
        producer.commitTransaction();
      } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn("batch of {} slices aborted, will be retried: {}", batch.size(), e.toString());
        producer.abortTransaction();
        rewind(offsets);
        return;
      }
      slicesDone.increment(result.segmented().size());
      rejectedSlices.increment(result.rejected());
      for (Slice slice : result.segmented()) {
        endToEnd.record(Duration.between(slice.getStudyReceivedAt(), Instant.now()));
      }
    }
  }

  /** After an abort: read the batch's slices (and everything after them) again. */
  private void rewind(BatchOffsets offsets) {
    pending.dropPartitions(offsets.first().keySet());
    offsets.first().forEach(consumer::seek);
  }

  private final class DropRevoked implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      pending.dropPartitions(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      pending.dropPartitions(partitions);
    }
  }
}
