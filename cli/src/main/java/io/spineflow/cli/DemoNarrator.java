package io.spineflow.cli;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Segmentation;
import io.spineflow.events.TrainingProgress;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Tells the demo's story on the console from the topics themselves: training progress, models
 * promoted or rejected, retrain requests, masks flowing, the first study results, dead letters.
 * Reads only what is new (a restarted demo does not retell the past).
 */
final class DemoNarrator implements Runnable, AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Topics topics;
  private final PrintWriter out;
  private final Map<Integer, Long> masksByVersion = new TreeMap<>();

  /** Study results told in full; the rest are counted. */
  private static final int TOLD_RESULTS = 3;

  private long masks;
  private long results;
  private long lastMaskReport;
  private volatile boolean running = true;
  private volatile int modelsAnnounced;
  private volatile int retrainRequests;
  private final java.util.concurrent.CountDownLatch ready =
      new java.util.concurrent.CountDownLatch(1);

  DemoNarrator(KafkaClients clients, Topics topics, PrintWriter out) {
    this.consumer =
        new KafkaConsumer<>(
            clients.consumer("demo-narrator-" + UUID.randomUUID(), "demo-narrator"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.topics = topics;
    this.out = out;
  }

  /**
   * Waits until the narrator has fixed its starting positions, so that an announcement published
   * after this returns is counted.
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the demo narrator did not reach Kafka within " + timeout);
    }
  }

  long masks() {
    return masks;
  }

  /** Model announcements seen since the narrator started. */
  int modelsAnnounced() {
    return modelsAnnounced;
  }

  /** Retrain requests seen since the narrator started. */
  int retrainRequests() {
    return retrainRequests;
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic :
          List.of(
              topics.training().name(),
              topics.models().name(),
              topics.retrain().name(),
              topics.masks().name(),
              topics.segmentations().name(),
              topics.deadletter().name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // Resolve the end positions now: everything published after ready() is then seen.
      partitions.forEach(consumer::position);
      ready.countDown();
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          tell(r);
        }
        if (masks - lastMaskReport >= 100) {
          reportMasks();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      if (masks > lastMaskReport) {
        reportMasks();
      }
      consumer.close();
    }
  }

  private void tell(ConsumerRecord<String, byte[]> r) {
    String topic = r.topic();
    if (topic.equals(topics.masks().name())) {
      Mask mask =
          topics.masks().valueSerde().deserializer().deserialize(topic, r.headers(), r.value());
      masks++;
      masksByVersion.merge(mask.getModelVersion(), 1L, Long::sum);
    } else if (topic.equals(topics.training().name())) {
      training(
          topics.training().valueSerde().deserializer().deserialize(topic, r.headers(), r.value()));
    } else if (topic.equals(topics.models().name())) {
      ModelAnnouncement m =
          topics.models().valueSerde().deserializer().deserialize(topic, r.headers(), r.value());
      modelsAnnounced++;
      say(
          "model %s v%d %s (validation %s): inference swaps it in",
          m.getModelName(),
          m.getVersion(),
          m.getKind().toString().toLowerCase(Locale.ROOT),
          dice(m.getValidationMetrics()));
    } else if (topic.equals(topics.segmentations().name())) {
      result(
          topics
              .segmentations()
              .valueSerde()
              .deserializer()
              .deserialize(topic, r.headers(), r.value()));
    } else if (topic.equals(topics.retrain().name())) {
      RetrainRequest q =
          topics.retrain().valueSerde().deserializer().deserialize(topic, r.headers(), r.value());
      retrainRequests++;
      say("retrain requested (%s, by %s): %s", q.getOrigin(), q.getRequestedBy(), q.getReason());
    } else if (topic.equals(topics.deadletter().name())) {
      DeadLetter d =
          topics
              .deadletter()
              .valueSerde()
              .deserializer()
              .deserialize(topic, r.headers(), r.value());
      say("dead letter from %s: %s (%s)", d.getStage(), d.getReasonCode(), d.getMessage());
    }
  }

  private void training(TrainingProgress p) {
    switch (p.getPhase()) {
      case STARTED ->
          say("training %s started (run %s): %s", p.getModelName(), p.getRunId(), p.getMessage());
      case EVALUATED ->
          say(
              "  epoch %d  %s  loss %s  validation %s%s",
              p.getEpoch(),
              bar(p.getStep(), p.getTotalSteps()),
              p.getLoss() == null ? "-" : String.format(Locale.ROOT, "%.3f", p.getLoss()),
              dice(p.getValidationDice()),
              p.getEtaSeconds() == null
                  ? ""
                  : String.format(Locale.ROOT, "  eta %.0f s", p.getEtaSeconds()));
      case PROMOTED -> say("candidate v%s promoted: %s", p.getCandidateVersion(), p.getMessage());
      case REJECTED -> say("candidate rejected: %s", p.getMessage());
      case FAILED -> say("training failed: %s", p.getMessage());
      default -> {}
    }
  }

  /**
   * The first few study results in full (where to take them), the rest only counted: a result per
   * study would drown the story.
   */
  private void result(Segmentation result) {
    results++;
    if (results > TOLD_RESULTS) {
      return;
    }
    long discs =
        result.getLevels().stream()
            .filter(l -> l.getKind().equals("disc") && l.getMiddleMm() != null)
            .count();
    say(
        "study %s: result ready: %d of %d slices segmented, %d disc heights measured%s;"
            + " ./spineflow export %s --out DIR%s",
        result.getStudyUid(),
        result.getSegmentedSlices().size(),
        result.getSourceSlices(),
        discs,
        result.getDicomSegmentation() == null ? "" : ", a DICOM SEG",
        result.getStudyUid(),
        results == TOLD_RESULTS ? " (further results are counted below)" : "");
  }

  private void reportMasks() {
    lastMaskReport = masks;
    StringBuilder byVersion = new StringBuilder();
    masksByVersion.forEach((v, n) -> byVersion.append(" v").append(v).append(": ").append(n));
    say("masks so far: %d (by model version%s); study results: %d", masks, byVersion, results);
  }

  static String bar(int step, int total) {
    int width = 20;
    int filled = total <= 0 ? 0 : (int) Math.min(width, Math.round(width * (double) step / total));
    return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
  }

  static String dice(Map<String, Double> metrics) {
    StringBuilder s = new StringBuilder("Dice");
    for (String cls : List.of("vertebrae", "spinal_canal", "discs")) {
      Double d = metrics.get("dice." + cls);
      if (d == null) {
        d = metrics.get(cls);
      }
      if (d != null) {
        s.append(String.format(Locale.ROOT, " %s %.2f", cls.replace("spinal_", ""), d));
      }
    }
    return s.length() == 4 ? "-" : s.toString();
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println("  " + String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
