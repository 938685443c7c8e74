package io.spineflow.preprocess;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Slice;
import io.spineflow.events.Study;
import io.spineflow.platform.DedupStore;
import io.spineflow.platform.LogSafe;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's one processor: a thin shell around {@link StudyPreprocessor}. Every failure of the
 * image work is caught per record and forwarded as a dead letter; only Kafka's own failures (which
 * exactly-once recovers from) escape. Outputs are computed completely before anything is forwarded,
 * so a study yields all its slices and its summary, or one dead letter.
 */
final class StudyProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(StudyProcessor.class);

  private final StudyPreprocessor preprocessor;
  private final PreprocessMetrics metrics;
  private ProcessorContext<String, Object> context;
  private final Duration dedupRetention;
  private DedupStore sliced;

  StudyProcessor(
      StudyPreprocessor preprocessor, PreprocessMetrics metrics, Duration dedupRetention) {
    this.preprocessor = preprocessor;
    this.metrics = metrics;
    this.dedupRetention = dedupRetention;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.sliced = DedupStore.attach(context, PreprocessTopology.STORE, dedupRetention);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    long started = System.nanoTime();
    SourceLocation location = location();
    Study study;
    try {
      study = preprocessor.decode(record.value(), record.headers());
    } catch (StudyRejectedException e) {
      reject(record, null, e, location);
      return;
    }
    // Outside the try: a failing store is Kafka's problem to recover, not the study's fault.
    if (study.getContentSha256().equals(sliced.get(study.getStudyUid()))) {
      LOG.info(
          "study {} received again unchanged at {}; not sliced again",
          LogSafe.id(study.getStudyUid()),
          location);
      metrics.duplicate();
      return;
    }
    StudyPreprocessor.Sliced result;
    try {
      result = preprocessor.slice(study);
    } catch (StudyRejectedException e) {
      reject(record, study, e, location);
      return;
    } catch (RuntimeException e) {
      LOG.warn("unexpected failure on the record at {}; dead-lettered", location, e);
      reject(record, study, StudyPreprocessor.unexpected(e), location);
      return;
    }
    long timestamp = record.timestamp();
    for (KeyValue<String, Slice> slice : result.slices()) {
      context.forward(
          new Record<>(slice.key, slice.value, timestamp), PreprocessTopology.SLICES_SINK);
    }
    // After the slices, in the same transaction: read_committed consumers see all or nothing.
    context.forward(
        new Record<>(study.getStudyUid(), result.summary(), timestamp),
        PreprocessTopology.SUMMARY_SINK);
    sliced.put(study.getStudyUid(), study.getContentSha256());
    metrics.sliced(
        result.slices().size(),
        result.result().droppedByReason(),
        Duration.ofNanos(System.nanoTime() - started));
    LOG.info(
        "study {} ({}): {} of {} slices emitted, dropped {}",
        LogSafe.id(study.getStudyUid()),
        study.getSequence(),
        result.slices().size(),
        result.result().sourceSlices(),
        result.result().droppedByReason());
  }

  private void reject(
      Record<String, byte[]> record,
      Study study,
      StudyRejectedException e,
      SourceLocation location) {
    String uid = study == null ? record.key() : study.getStudyUid();
    DeadLetter letter = preprocessor.deadLetter(uid, e, location);
    LOG.warn(
        "study {} at {} dead-lettered: {} {}",
        LogSafe.id(uid),
        location,
        e.reasonCode(),
        LogSafe.text(e.getMessage()));
    metrics.rejected(e.reasonCode());
    context.forward(
        new Record<>(record.key(), letter, record.timestamp()), PreprocessTopology.DEADLETTER_SINK);
  }

  private SourceLocation location() {
    return context
        .recordMetadata()
        .map((RecordMetadata m) -> new SourceLocation(m.topic(), m.partition(), m.offset()))
        .orElseGet(SourceLocation::unknown);
  }
}
