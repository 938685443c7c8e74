package io.spineflow.dashboard;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Quality;
import io.spineflow.events.TrainingPhase;
import io.spineflow.imaging.Sequence;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes what the pipeline would have published over the last ~45 minutes, through the real
 * serdes: phantom slices (preprocess), their masks and quality from a {@link StandInSegmenter}
 * (inference), model announcements and training progress (trainer), dead letters (ingest). The last
 * studies come from a "new scanner" (the phantom's shift), so quality visibly drops. Keeps what it
 * sent for the assertions.
 */
final class PipelineTraffic implements AutoCloseable {
  static final Map<String, Double> V1_VALIDATION = Events.validation(0.90, 0.72, 0.88);
  static final Map<String, Double> V2_VALIDATION = Events.validation(0.91, 0.74, 0.89);

  /** A dead letter whose message is an attempt at markup: the page must show it as text. */
  static final String HOSTILE_MESSAGE =
      "<img src=x onerror=\"document.body.dataset.pwned=1\"> header has 100001 lines";

  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final List<Quality> quality = new ArrayList<>();
  private int slices;

  PipelineTraffic(String bootstrapServers, Topics topics) {
    this.topics = topics;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Topics.SLICE_MAX_BYTES),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  <V> void send(Topic<String, V> topic, String key, V value, Instant at) {
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), headers, value);
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, bytes, headers));
  }

  /** Every topic the dashboard reads. */
  static List<Topic<String, ?>> dashboardInputs(Topics topics) {
    return List.of(
        topics.quality(),
        topics.masks(),
        topics.slices(),
        topics.models(),
        topics.training(),
        topics.deadletter(),
        topics.segmentations());
  }

  /** Sends a record as it is (raw bytes, e.g. poison). */
  void send(ProducerRecord<String, byte[]> record) {
    producer.send(record);
  }

  /**
   * The story, ending at {@code now}: v1 live, a training run promoting v2, a rejected candidate, a
   * run in progress; {@code studies} studies (every fourth unlabelled), the last {@code
   * shiftedStudies} of them shifted; four dead letters.
   */
  void story(Instant now, StandInSegmenter segmenter, int studies, int shiftedStudies) {
    Instant start = now.minus(Duration.ofMinutes(48));
    Instant v2At = now.minus(Duration.ofMinutes(20));
    send(
        topics.models(),
        Events.MODEL,
        Events.announcement(1, AnnouncementKind.PROMOTED, V1_VALIDATION, start),
        start);
    training(TrainingPhase.STARTED, 0, 300, null, "", now.minus(Duration.ofMinutes(32)));
    training(TrainingPhase.PROGRESS, 100, 300, null, "", now.minus(Duration.ofMinutes(29)));
    training(TrainingPhase.PROGRESS, 200, 300, null, "", now.minus(Duration.ofMinutes(25)));
    training(TrainingPhase.EVALUATED, 300, 300, 2, "", now.minus(Duration.ofMinutes(21)));
    send(
        topics.models(),
        Events.MODEL,
        Events.announcement(2, AnnouncementKind.PROMOTED, V2_VALIDATION, v2At),
        v2At);
    training(TrainingPhase.STARTED, 0, 300, null, "", now.minus(Duration.ofMinutes(15)));
    training(
        TrainingPhase.REJECTED,
        300,
        300,
        3,
        "candidate v3: Dice of the discs 0.86 is below the live model's 0.89",
        now.minus(Duration.ofMinutes(9)));
    training(TrainingPhase.STARTED, 0, 300, null, "", now.minus(Duration.ofMinutes(6)));
    training(TrainingPhase.PROGRESS, 180, 300, null, "", now.minus(Duration.ofMinutes(1)));

    deadLetter(
        "TRUNCATED_DATA",
        "data ends after 1048576 of 4194304 bytes",
        now.minus(Duration.ofMinutes(41)));
    deadLetter(
        "GEOMETRY_MISMATCH",
        "mask spacing (0.9, 0.9, 4.4) does not match the image's (0.68, 0.68, 3.3)",
        now.minus(Duration.ofMinutes(26)));
    deadLetter("HEADER_BOMB", HOSTILE_MESSAGE, now.minus(Duration.ofMinutes(14)));
    deadLetter(
        "UNSUPPORTED_TYPE",
        "ElementType MET_DOUBLE is not supported",
        now.minus(Duration.ofMinutes(4)));

    Duration spacing = Duration.ofMinutes(44).dividedBy(studies);
    for (int s = 0; s < studies; s++) {
      long seed = 500 + s;
      boolean shifted = s >= studies - shiftedStudies;
      boolean labelled = s % 4 != 3;
      Instant received = now.minus(Duration.ofMinutes(46)).plus(spacing.multipliedBy(s));
      int version = received.isBefore(v2At) ? 1 : 2;
      Sequence sequence = Sequence.values()[s % 3];
      List<PhantomSlices.SliceData> study = PhantomSlices.study(sequence, seed, shifted);
      for (PhantomSlices.SliceData slice : study) {
        Instant preprocessed = received.plusMillis(2500 + 150L * slice.sliceIndex());
        Instant produced = preprocessed.plusMillis(900 + 35L * (slice.sliceIndex() % 8));
        StandInSegmenter.Prediction p =
            segmenter.predict(slice.pixels(), slice.label(), version == 1 ? 0.4 : 0.3);
        String key = Events.key(slice);
        send(
            topics.slices(),
            key,
            Events.slice(slice, labelled, received, preprocessed),
            preprocessed);
        send(
            topics.masks(),
            key,
            Events.mask(slice, p.classes(), version, received, produced),
            produced);
        Quality q =
            Events.quality(slice, p.probabilities(), p.classes(), labelled, version, produced);
        send(topics.quality(), key, q, produced);
        quality.add(q);
        slices++;
      }
    }
    producer.flush();
  }

  private void training(
      TrainingPhase phase, int step, int total, Integer candidate, String message, Instant at) {
    send(
        topics.training(),
        Events.MODEL,
        Events.training(phase, step, total, candidate, message, at),
        at);
  }

  private void deadLetter(String reason, String message, Instant at) {
    send(
        topics.deadletter(),
        "upload-" + reason.toLowerCase(),
        Events.deadLetter(reason, message, at),
        at);
  }

  /** The quality events sent. */
  List<Quality> quality() {
    return List.copyOf(quality);
  }

  int slices() {
    return slices;
  }

  /** Mean vertebrae Dice per 1-minute window start of everything sent: what the chart must plot. */
  Map<Long, Double> vertebraeDicePerWindow(long windowMillis) {
    Map<Long, double[]> sums = new TreeMap<>();
    for (Quality q : quality) {
      for (ClassMetrics m : q.getClassMetrics()) {
        if (m.getClassIndex() == 1 && m.getDice() != null) {
          long window =
              Math.floorDiv(q.getProducedAt().toEpochMilli(), windowMillis) * windowMillis;
          double[] sum = sums.computeIfAbsent(window, w -> new double[2]);
          sum[0] += m.getDice();
          sum[1]++;
        }
      }
    }
    Map<Long, Double> means = new TreeMap<>();
    sums.forEach((w, s) -> means.put(w, s[0] / s[1]));
    return means;
  }

  @Override
  public void close() {
    producer.close();
  }

  /** Sends synchronously (for a record the test must know is on the broker). */
  void flush() throws ExecutionException, InterruptedException {
    producer.flush();
  }
}
