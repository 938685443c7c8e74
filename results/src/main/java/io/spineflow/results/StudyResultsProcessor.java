package io.spineflow.results;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Segmentation;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.deadletter.DeadLetters;
import io.spineflow.platform.deadletter.Poison;
import io.spineflow.platform.deadletter.SourceRecord;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one study's parts (header, summary, slice geometries, masks, quality records) in its
 * task's stores, each under its own key, and makes the result once every slice preprocess emitted
 * has its mask and quality record: the {@link Segmentation}, or one dead letter, forwarded in the
 * same transaction that clears the revision's state and marks it done.
 *
 * <p>Keys. A revision is {@code uid/receivedAt} (13 digits): every part but quality names it
 * ({@code Study.receivedAt}, {@code studyReceivedAt} elsewhere), so a stale mask of an older
 * revision lands in that revision's keys and never completes a newer one; each revision completes
 * on its own. Parts are {@code rev/H}, {@code rev/P}, {@code rev/S/<slice>}, {@code rev/M/<slice>}.
 * Quality records name no revision: they are kept as {@code uid/<slice>/<producedAt>} and found
 * through their mask's {@code producedAt} (inference stamps a mask and its quality with one
 * instant). The revisions store says {@code P <first seen>} (pending) or {@code D <done at>} (done:
 * late parts of it are dropped).
 *
 * <p>A wall-clock sweep turns a revision pending longer than the retention into one {@code
 * STUDY_INCOMPLETE} dead letter naming what is missing (a revision with its header alone is a study
 * preprocess rejected, whose dead letter is preprocess's: dropped without another one), forgets
 * done revisions after the retention, and drops quality records older than it that no mask claimed.
 */
final class StudyResultsProcessor
    implements Processor<String, ResultPart, String, SpecificRecordBase> {
  static final String STAGE = ResultsService.NAME;
  private static final Logger LOG = LoggerFactory.getLogger(StudyResultsProcessor.class);
  private static final StringSerializer KEYS = new StringSerializer();
  private static final String PENDING = "P ";
  private static final String DONE = "D ";

  private final ResultsConfig config;
  private final Topics topics;
  private final StudyResultWriter writer;
  private final Counter completed;
  private final Counter deadLettered;
  private final Counter expired;
  private final Counter abandoned;
  private final Counter late;
  private ProcessorContext<String, SpecificRecordBase> context;
  private KeyValueStore<String, String> revisions;
  private KeyValueStore<String, ResultPart> parts;
  private KeyValueStore<String, ResultPart> quality;
  private KeyValueStore<String, String> modelShas;
  private KeyValueStore<String, byte[]> models;

  StudyResultsProcessor(
      ResultsConfig config, Topics topics, StudyResultWriter writer, MeterRegistry metrics) {
    this.config = config;
    this.topics = topics;
    this.writer = writer;
    this.completed = outcome(metrics, "completed");
    this.deadLettered = outcome(metrics, "deadlettered");
    this.expired = outcome(metrics, "expired");
    this.abandoned = outcome(metrics, "not-preprocessed");
    this.late =
        Counter.builder("spineflow.results.late.parts")
            .description("Parts of a revision already finished, ignored")
            .register(metrics);
  }

  private static Counter outcome(MeterRegistry metrics, String outcome) {
    return Counter.builder("spineflow.results.studies")
        .description("Study revisions finished, by outcome")
        .tag("outcome", outcome)
        .register(metrics);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecordBase> context) {
    this.context = context;
    this.revisions = context.getStateStore(ResultsTopology.REVISIONS_STORE);
    this.parts = context.getStateStore(ResultsTopology.PARTS_STORE);
    this.quality = context.getStateStore(ResultsTopology.QUALITY_STORE);
    this.modelShas = context.getStateStore(ResultsTopology.MODEL_SHAS_STORE);
    this.models = context.getStateStore(ResultsTopology.MODELS_STORE);
    context.schedule(config.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, ResultPart> record) {
    ResultPart part = record.value();
    String uid = part.studyUid();
    if (part instanceof ResultPart.QualityPart q) {
      Quality value = q.quality();
      quality.put(
          qualityKey(uid, value.getSliceIndex(), value.getProducedAt().toEpochMilli()), part);
      for (String rev : pendingRevisions(uid)) {
        tryComplete(rev, record.timestamp());
      }
      return;
    }
    String rev = revisionKey(uid, part.studyReceivedAt());
    String state = revisions.get(rev);
    if (state != null && state.startsWith(DONE)) {
      late.increment();
      return;
    }
    if (state == null) {
      revisions.put(rev, PENDING + now());
    }
    parts.put(partKey(rev, part), part);
    if (part instanceof ResultPart.MaskPart m) {
      rememberSha(m.mask());
    }
    tryComplete(rev, record.timestamp());
  }

  /** Completes {@code rev} if every part is in. */
  private void tryComplete(String rev, long timestamp) {
    if (!lastSliceIn(rev)) {
      return;
    }
    Collected collected = collect(rev);
    if (collected.missing() != null) {
      return;
    }
    RevisionInputs inputs = collected.inputs();
    String uid = inputs.header().getStudyUid();
    SpecificRecordBase out;
    try {
      out = writer.write(inputs, this::sha256, Instant.ofEpochMilli(now()));
      completed.increment();
      LOG.info("study {} revision {}: result published", uid, rev);
    } catch (BlobStoreException e) {
      throw e; // the store's failure, not the study's: the transaction aborts and is retried
    } catch (ResultRejectedException e) {
      out = deadLetter(uid, e.poison(), true);
      deadLettered.increment();
    } catch (RuntimeException e) {
      out = deadLetter(uid, Poison.processingFailed(ResultsTopology.PROCESSOR, e), true);
      deadLettered.increment();
    }
    finish(rev, collected.qualityKeys());
    context.forward(new Record<>(uid, out, timestamp));
  }

  /**
   * A cheap test before {@link #collect}: slices come in index order and their masks and quality
   * records after them, so until the last emitted slice's mask and quality record are in the
   * revision cannot be complete. Without it every arriving part decoded every mask already stored
   * again: quadratic in the slices of a study, on the service's hot path.
   */
  private boolean lastSliceIn(String rev) {
    ResultPart summary = parts.get(rev + "/P");
    if (summary == null) {
      return false;
    }
    var sliceSummary = ((ResultPart.Summary) summary).summary();
    List<Integer> emitted = sliceSummary.getEmittedSliceIndexes();
    if (emitted.isEmpty()) {
      return true;
    }
    int last = java.util.Collections.max(emitted);
    ResultPart mask = parts.get(sliceKey(rev, "M", last));
    if (mask == null) {
      return false;
    }
    Mask m = ((ResultPart.MaskPart) mask).mask();
    return quality.get(
            qualityKey(sliceSummary.getStudyUid(), last, m.getProducedAt().toEpochMilli()))
        != null;
  }

  /** What {@link #collect} found: the inputs, or the first missing part. */
  private record Collected(RevisionInputs inputs, List<String> qualityKeys, String missing) {}

  private Collected collect(String rev) {
    ResultPart header = parts.get(rev + "/H");
    if (header == null) {
      return new Collected(null, List.of(), "header (the study on studies)");
    }
    ResultPart summary = parts.get(rev + "/P");
    if (summary == null) {
      return new Collected(null, List.of(), "summary (slices.summary)");
    }
    var sliceSummary = ((ResultPart.Summary) summary).summary();
    String uid = sliceSummary.getStudyUid();
    List<RevisionInputs.SliceInputs> slices = new ArrayList<>();
    List<String> qualityKeys = new ArrayList<>();
    for (int index : sliceSummary.getEmittedSliceIndexes()) {
      ResultPart slice = parts.get(sliceKey(rev, "S", index));
      if (slice == null) {
        return new Collected(null, List.of(), "slices[" + index + "]");
      }
      ResultPart mask = parts.get(sliceKey(rev, "M", index));
      if (mask == null) {
        return new Collected(null, List.of(), "masks[" + index + "]");
      }
      Mask m = ((ResultPart.MaskPart) mask).mask();
      String qualityKey = qualityKey(uid, index, m.getProducedAt().toEpochMilli());
      ResultPart q = quality.get(qualityKey);
      if (q == null) {
        return new Collected(null, List.of(), "quality[" + index + "]");
      }
      qualityKeys.add(qualityKey);
      slices.add(
          new RevisionInputs.SliceInputs(
              ((ResultPart.SliceGeometry) slice).slice(),
              m,
              ((ResultPart.QualityPart) q).quality()));
    }
    return new Collected(
        new RevisionInputs(((ResultPart.Header) header).study(), sliceSummary, slices),
        qualityKeys,
        null);
  }

  /** Clears the revision's parts and marks it done, in the transaction of its output. */
  private void finish(String rev, List<String> qualityKeys) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, ResultPart> it = parts.prefixScan(rev + "/", KEYS)) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(parts::delete);
    qualityKeys.forEach(quality::delete);
    revisions.put(rev, DONE + now());
  }

  /** Expires revisions pending past the retention; forgets old done marks and unclaimed quality. */
  private void sweep(long wallClock) {
    long horizon = wallClock - config.studyRetention().toMillis();
    List<KeyValue<String, String>> all = new ArrayList<>();
    try (KeyValueIterator<String, String> it = revisions.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, String> kv : all) {
      long since = Long.parseLong(kv.value.substring(2));
      if (since >= horizon) {
        continue;
      }
      if (kv.value.startsWith(DONE)) {
        revisions.delete(kv.key);
      } else {
        expire(kv.key, wallClock);
      }
    }
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, ResultPart> it = quality.all()) {
      it.forEachRemaining(
          kv -> {
            if (((ResultPart.QualityPart) kv.value).quality().getProducedAt().toEpochMilli()
                < horizon) {
              stale.add(kv.key);
            }
          });
    }
    stale.forEach(quality::delete);
  }

  private void expire(String rev, long wallClock) {
    String uid = rev.substring(0, rev.lastIndexOf('/'));
    String missing = collect(rev).missing();
    if (onlyHeader(rev)) {
      // Preprocess never summarised it: it rejected the study, and its dead letter says why.
      finish(rev, List.of());
      abandoned.increment();
      LOG.info(
          "study {} revision {}: never preprocessed within {}, dropped",
          uid,
          rev,
          config.studyRetention());
      return;
    }
    Duration retention = config.studyRetention();
    Poison poison =
        new Poison(
            "STUDY_INCOMPLETE",
            missing == null ? "result" : missing,
            "complete within " + ResultsSettings.STUDY_RETENTION.name() + " = " + retention,
            "study "
                + uid
                + " revision received at "
                + Instant.ofEpochMilli(Long.parseLong(rev.substring(rev.lastIndexOf('/') + 1)))
                + " still lacks "
                + (missing == null ? "nothing (it could not be finished)" : missing)
                + " after "
                + retention);
    finish(rev, List.of());
    expired.increment();
    LOG.warn("study {} revision {}: incomplete after {}, dead-lettered", uid, rev, retention);
    context.forward(new Record<>(uid, deadLetter(uid, poison, false), wallClock));
  }

  /** Whether the revision holds its header and nothing else (no summary, slice or mask). */
  private boolean onlyHeader(String rev) {
    try (KeyValueIterator<String, ResultPart> it = parts.prefixScan(rev + "/", KEYS)) {
      while (it.hasNext()) {
        if (!it.next().key.equals(rev + "/H")) {
          return false;
        }
      }
    }
    return parts.get(rev + "/H") != null;
  }

  private DeadLetter deadLetter(String uid, Poison poison, boolean fromRecord) {
    RecordMetadata metadata = fromRecord ? context.recordMetadata().orElse(null) : null;
    SourceRecord source =
        metadata == null
            ? new SourceRecord(null, null, null, uid)
            : new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(), uid);
    return DeadLetters.of(STAGE, poison, source, uid, Instant.ofEpochMilli(now()));
  }

  private List<String> pendingRevisions(String uid) {
    List<String> pending = new ArrayList<>();
    try (KeyValueIterator<String, String> it = revisions.prefixScan(uid + "/", KEYS)) {
      it.forEachRemaining(
          kv -> {
            if (kv.value.startsWith(PENDING)) {
              pending.add(kv.key);
            }
          });
    }
    return pending;
  }

  /**
   * Keeps the weights' SHA-256 of the mask's model version while its announcement is the latest
   * (the compacted {@code models} topic keeps only the latest per name).
   */
  private void rememberSha(Mask mask) {
    ModelAnnouncement latest = latest(mask.getModelName());
    if (latest != null && latest.getVersion() == mask.getModelVersion()) {
      modelShas.putIfAbsent(mask.getModelName() + "/" + mask.getModelVersion(), latest.getSha256());
    }
  }

  private String sha256(String name, int version) {
    String known = modelShas.get(name + "/" + version);
    if (known != null) {
      return known;
    }
    ModelAnnouncement latest = latest(name);
    return latest != null && latest.getVersion() == version ? latest.getSha256() : null;
  }

  private ModelAnnouncement latest(String name) {
    byte[] raw = models.get(name);
    if (raw == null) {
      return null;
    }
    try {
      return topics.models().valueSerde().deserializer().deserialize(topics.models().name(), raw);
    } catch (RuntimeException e) {
      return null; // an announcement this build cannot read: its SHA-256 is reported unknown
    }
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

  static String revisionKey(String uid, long receivedAt) {
    return uid + "/" + String.format(Locale.ROOT, "%013d", receivedAt);
  }

  static String partKey(String rev, ResultPart part) {
    if (part instanceof ResultPart.Header) {
      return rev + "/H";
    } else if (part instanceof ResultPart.Summary) {
      return rev + "/P";
    } else if (part instanceof ResultPart.SliceGeometry s) {
      return sliceKey(rev, "S", s.slice().getSliceIndex());
    } else if (part instanceof ResultPart.MaskPart m) {
      return sliceKey(rev, "M", m.mask().getSliceIndex());
    }
    throw new IllegalArgumentException("a quality record names no revision");
  }

  private static String sliceKey(String rev, String kind, int index) {
    return rev + "/" + kind + "/" + String.format(Locale.ROOT, "%06d", index);
  }

  static String qualityKey(String uid, int sliceIndex, long producedAt) {
    return uid + "/" + String.format(Locale.ROOT, "%06d", sliceIndex) + "/" + producedAt;
  }
}
