package io.spineflow.inference;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelArchitecture;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.platform.deadletter.DeadLetters;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.Poison;
import io.spineflow.platform.deadletter.PoisonException;
import io.spineflow.platform.deadletter.SliceContract;
import io.spineflow.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of {@code slices} records through the live model, as the records to publish in the
 * batch's transaction: a mask and a quality record per slice, and one dead letter per record that
 * cannot be segmented (undecodable, a tombstone, a slice breaking {@link SliceContract} or not the
 * model's size, or one the model fails on). A batch the model fails on is split in halves until the
 * failing slice is alone, so the others still get their masks. Pure: no Kafka client.
 */
final class BatchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
  static final String STAGE = "inference";

  /** What a batch produced; {@code segmented} are the slices that got a mask. */
  record Result(
      List<ProducerRecord<String, Object>> records,
      List<Slice> segmented,
      int rejected,
      long inferenceNanos) {}

  /** A record that passed the checks, with its decoded slice and pixels. */
  private record Checked(PendingSlices.Waiting waiting, Slice slice, float[] pixels) {
    ConsumerRecord<String, byte[]> record() {
      return waiting.record();
    }
  }

  private final Topics topics;
  private final SliceOutputs outputs;
  private final EventDecoder<Slice> decoder;

  BatchRun(Topics topics, SliceOutputs outputs) {
    this.topics = topics;
    this.outputs = outputs;
    this.decoder = new EventDecoder<>(topics.slices());
  }

  Result run(List<PendingSlices.Waiting> batch, ServedModel model, Instant now) {
    List<ProducerRecord<String, Object>> out = new ArrayList<>();
    List<Checked> fit = new ArrayList<>(batch.size());
    for (PendingSlices.Waiting w : batch) {
      try {
        Slice slice = decoder.decode(w.record());
        fit.add(new Checked(w, slice, check(slice, model.architecture())));
      } catch (PoisonException e) {
        out.add(deadLetter(w.record(), e.poison(), now));
      }
    }
    List<Slice> segmented = new ArrayList<>(fit.size());
    long nanos = segment(fit, model, now, out, segmented);
    return new Result(out, segmented, batch.size() - segmented.size(), nanos);
  }

  /** The slice's pixels, if it keeps the contract and is the model's input size. */
  private static float[] check(Slice slice, ModelArchitecture architecture) {
    float[] pixels = SliceContract.check(slice);
    if (slice.getWidth() != architecture.getInputWidth()
        || slice.getHeight() != architecture.getInputHeight()) {
      throw new PoisonException(
          new Poison(
              "SLICE_SIZE_MISMATCH",
              "width/height",
              architecture.getInputWidth() + "x" + architecture.getInputHeight(),
              "slice is "
                  + slice.getWidth()
                  + "x"
                  + slice.getHeight()
                  + "; the live model takes "
                  + architecture.getInputWidth()
                  + "x"
                  + architecture.getInputHeight()));
    }
    return pixels;
  }

  /**
   * Segments {@code slices} in one forward pass, or, if the model fails on them, each half on its
   * own (a lone failing slice is dead-lettered).
   *
   * @return nanoseconds spent in the model
   */
  private long segment(
      List<Checked> slices,
      ServedModel model,
      Instant now,
      List<ProducerRecord<String, Object>> out,
      List<Slice> segmented) {
    if (slices.isEmpty()) {
      return 0;
    }
    long start = System.nanoTime();
    List<ServedModel.Prediction> predictions;
    try {
      predictions = model.predict(slices.stream().map(Checked::pixels).toList());
    } catch (RuntimeException e) {
      if (slices.size() == 1) {
        out.add(deadLetter(slices.get(0).record(), modelFailed(e), now));
        return System.nanoTime() - start;
      }
      LOG.warn("the model failed on a batch of {}; splitting it: {}", slices.size(), e.toString());
      int half = slices.size() / 2;
      return System.nanoTime()
          - start
          + segment(slices.subList(0, half), model, now, out, segmented)
          + segment(slices.subList(half, slices.size()), model, now, out, segmented);
    }
    long nanos = System.nanoTime() - start;
    for (int i = 0; i < slices.size(); i++) {
      Checked c = slices.get(i);
      SliceOutputs.BatchTiming timing =
          new SliceOutputs.BatchTiming(
              slices.size(), (start - c.waiting().arrivedNanos()) / 1e6, nanos / 1e6);
      try {
        Mask mask = outputs.mask(c.slice(), predictions.get(i), model, timing, now);
        Quality quality = outputs.quality(c.slice(), predictions.get(i), model, now);
        out.add(new ProducerRecord<>(topics.masks().name(), c.record().key(), mask));
        out.add(new ProducerRecord<>(topics.quality().name(), c.record().key(), quality));
        segmented.add(c.slice());
      } catch (RuntimeException e) {
        out.add(deadLetter(c.record(), Poison.processingFailed("quality", e), now));
      }
    }
    return nanos;
  }

  private static Poison modelFailed(RuntimeException e) {
    return new Poison(
        "MODEL_FAILED_ON_SLICE",
        "pixels",
        "a slice the live model segments without an error",
        e.toString());
  }

  private ProducerRecord<String, Object> deadLetter(
      ConsumerRecord<String, byte[]> record, Poison poison, Instant now) {
    LOG.warn(
        "slice at {}/{}/{} dead-lettered: {} ({})",
        record.topic(),
        record.partition(),
        record.offset(),
        poison.reasonCode(),
        poison.field());
    DeadLetter letter =
        DeadLetters.of(
            STAGE,
            poison,
            EventDecoder.source(record),
            DeadLetters.studyUidOfKey(record.key()),
            now);
    return new ProducerRecord<>(topics.deadletter().name(), record.key(), letter);
  }
}
