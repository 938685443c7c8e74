package io.spineflow.cli.bench;

import io.spineflow.cli.ServiceProcess;
import io.spineflow.platform.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Samples the running soak at a fixed period: each service's resident set size, each consumer
 * group's lag (committed offset behind the last committed record of its input topic), masks and
 * studies completed, and the latency of the studies completed since the previous sample.
 */
final class SoakSampler implements AutoCloseable {
  /**
   * One sample.
   *
   * @param seconds since the soak started
   * @param rssBytes per service (0 once it has exited)
   * @param lag per service: records of its input topic its consumer group has not committed
   * @param offsetLag per service: committed offsets behind the end (transaction markers count)
   * @param latencyMillis median end-to-end latency of the studies completed since the previous
   *     sample (NaN if none)
   */
  record Sample(
      double seconds,
      int sent,
      int done,
      long masks,
      double masksPerSecond,
      double studiesPerSecond,
      Map<String, Long> rssBytes,
      Map<String, Long> lag,
      Map<String, Long> offsetLag,
      double latencyMillis,
      boolean allAlive) {

    long totalLag() {
      return lag.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** A consumer group and the partitions of its input topic. */
  record Input(String group, List<TopicPartition> partitions) {}

  /** Partitions at most this many offsets behind have their records counted. */
  private static final long COUNTED_GAP = 8;

  private record Waiter(Predicate<Sample> condition, CompletableFuture<Sample> result) {}

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final Map<String, Input> inputs;
  private final List<ServiceProcess> services;
  private final SoakTracker tracker;
  private final IntSupplier sent;
  private final Instant start;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private final Consumer<Sample> listener;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-soak-sampler");
            t.setDaemon(true);
            return t;
          });
  private long lastMasks;
  private int lastDone;
  private double lastSeconds;

  /**
   * @param inputs by service: its consumer group and the partitions of its input topic
   * @param listener called with every sample, on the sampling thread
   */
  SoakSampler(
      Admin admin,
      KafkaClients clients,
      Map<String, Input> inputs,
      List<ServiceProcess> services,
      SoakTracker tracker,
      IntSupplier sent,
      Instant start,
      Consumer<Sample> listener) {
    this.admin = admin;
    this.reader =
        new KafkaConsumer<>(
            clients.consumer("bench-soak-lag", "bench-soak-lag"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.inputs = inputs;
    this.services = services;
    this.tracker = tracker;
    this.sent = sent;
    this.start = start;
    this.listener = listener;
  }

  void start(Duration period) {
    scheduler.scheduleAtFixedRate(this::sampleSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sampleSafely() {
    try {
      Sample s = sample();
      samples.add(s);
      listener.accept(s);
      for (Waiter w : waiters) {
        if (w.condition().test(s)) {
          w.result().complete(s);
          waiters.remove(w);
        }
      }
    } catch (RuntimeException e) {
      // A slow or failed admin call skips one sample; the next one tries again.
    }
  }

  private Sample sample() {
    double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
    Map<String, Long> rss = new LinkedHashMap<>();
    boolean allAlive = true;
    for (ServiceProcess p : services) {
      rss.put(p.service(), p.residentBytes().orElse(0));
      allAlive &= p.isAlive();
    }
    Lag lag = lag();
    long masks = tracker.masks();
    // A copy: the tracker appends while this runs.
    List<SoakTracker.Completed> completed = List.copyOf(tracker.completed());
    int done = completed.size();
    double dt = seconds - lastSeconds;
    List<Double> recent = new ArrayList<>();
    for (SoakTracker.Completed c : completed.subList(Math.min(lastDone, done), done)) {
      recent.add(c.latencyMillis());
    }
    double masksPerSecond = dt > 0 && lastSeconds > 0 ? (masks - lastMasks) / dt : 0;
    double studiesPerSecond = dt > 0 && lastSeconds > 0 ? (done - lastDone) / dt : 0;
    lastMasks = masks;
    lastDone = done;
    lastSeconds = seconds;
    return new Sample(
        seconds,
        sent.getAsInt(),
        done,
        masks,
        masksPerSecond,
        studiesPerSecond,
        rss,
        lag.records(),
        lag.offsets(),
        Percentiles.of(recent, 50),
        allAlive);
  }

  /** Per service: its group's lag in offsets and in records. */
  private record Lag(Map<String, Long> offsets, Map<String, Long> records) {}

  /**
   * Per service: how far its group's committed offsets are behind the end (the last stable offset,
   * as its read_committed consumer sees it) of its input topic, in offsets and in records.
   *
   * <p>The two differ by the transaction markers in between: a consumer that commits "last record +
   * 1" inside a transaction leaves its committed offset on the commit marker that follows, one
   * offset short of the end for ever, while no record is left to read. So a partition only a few
   * offsets behind is read (read_committed) from its committed offset to the end, and only the
   * records found there count.
   */
  private Lag lag() {
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    inputs.forEach(
        (service, input) -> {
          specs.put(
              input.group(),
              new ListConsumerGroupOffsetsSpec().topicPartitions(input.partitions()));
          input.partitions().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        });
    try {
      var committed = admin.listConsumerGroupOffsets(specs);
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, long[]> behind = new HashMap<>();
      for (Input input : inputs.values()) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            committed.partitionsToOffsetAndMetadata(input.group()).get(10, TimeUnit.SECONDS);
        for (TopicPartition tp : input.partitions()) {
          OffsetAndMetadata at = offsets.get(tp);
          behind.put(tp, new long[] {at == null ? 0 : at.offset(), ends.get(tp).offset()});
        }
      }
      Map<TopicPartition, Long> records = recordsBetween(behind);
      Map<String, Long> offsetLag = new LinkedHashMap<>();
      Map<String, Long> recordLag = new LinkedHashMap<>();
      inputs.forEach(
          (service, input) -> {
            long offsetSum = 0;
            long recordSum = 0;
            for (TopicPartition tp : input.partitions()) {
              long[] range = behind.get(tp);
              long gap = Math.max(0, range[1] - range[0]);
              offsetSum += gap;
              recordSum += records.getOrDefault(tp, gap);
            }
            offsetLag.put(service, offsetSum);
            recordLag.put(service, recordSum);
          });
      return new Lag(offsetLag, recordLag);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read consumer lag: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Records (read_committed) in {@code [from, to)} of each partition at most {@link #COUNTED_GAP}
   * offsets behind; partitions further behind, or not read to the end within 2 s, are left out
   * (their offset gap stands).
   */
  private Map<TopicPartition, Long> recordsBetween(Map<TopicPartition, long[]> ranges) {
    Map<TopicPartition, long[]> small = new HashMap<>();
    ranges.forEach(
        (tp, r) -> {
          if (r[1] > r[0] && r[1] - r[0] <= COUNTED_GAP) {
            small.put(tp, r);
          }
        });
    Map<TopicPartition, Long> counted = new HashMap<>();
    if (small.isEmpty()) {
      return counted;
    }
    reader.assign(small.keySet());
    small.forEach(
        (tp, r) -> {
          reader.seek(tp, r[0]);
          counted.put(tp, 0L);
        });
    Map<TopicPartition, Boolean> reached = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (reached.size() < small.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < small.get(tp)[1]) {
          counted.merge(tp, 1L, Long::sum);
        }
      }
      small.forEach(
          (tp, r) -> {
            if (reader.position(tp) >= r[1]) {
              reached.put(tp, true);
            }
          });
    }
    counted.keySet().retainAll(reached.keySet());
    return counted;
  }

  /**
   * Waits until a sample satisfies {@code condition}; returns it, or null after {@code timeout}.
   */
  Sample await(Predicate<Sample> condition, Duration timeout) throws InterruptedException {
    Waiter waiter = new Waiter(condition, new CompletableFuture<>());
    waiters.add(waiter);
    try {
      return waiter.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      waiters.remove(waiter);
    }
  }

  List<Sample> samples() {
    return Collections.unmodifiableList(samples);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
