package io.spineflow.ingest;

import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Sequence;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.dicom.DicomVolume;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SequenceRule;
import io.spineflow.imaging.dicom.SeriesAssembler;
import io.spineflow.imaging.dicom.SeriesException;
import io.spineflow.imaging.dicom.SeriesReason;
import io.spineflow.imaging.dicom.SeriesSelection;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.DedupStore;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeException;
import io.spineflow.platform.volume.VolumeMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM half of {@link UploadProcessor}: collects the instances of each series ({@code
 * studies.upload} records with {@code spineflow.format=dicom}, key: Series Instance UID) in the
 * {@value IngestTopology#DICOM_INSTANCE_STORE} store, and once no new instance of a series has come
 * for the quiet period (a "stable series", as PACS routers say) assembles it into one volume and
 * publishes one {@code studies} event keyed by the series. Everything lives in changelogged stores
 * and the output is exactly-once, so a crash loses no instance and duplicates no event.
 *
 * <ul>
 *   <li>A bad instance is one dead letter at once; its series goes on without it.
 *   <li>The same instance again (same SOP Instance UID, same bytes) changes nothing.
 *   <li>An instance arriving after publication (or one re-sent with other bytes) restarts the quiet
 *       period; the series is then published again as a new revision (same key, new {@code
 *       contentSha256}), never a silent duplicate.
 *   <li>A series that is not sagittal original MR is skipped: counted, logged and audited with its
 *       reason, not dead-lettered; its instances are dropped.
 *   <li>A series whose slices do not make one volume is one dead letter naming the slices at fault;
 *       its instances are kept, so a missing slice arriving later completes it.
 *   <li>A binary DICOM Segmentation (key: the series it references) is kept beside the series'
 *       instances and becomes the label of its next publication ({@link SeriesSegmentations}); one
 *       that does not fit is one dead letter and the series is published unlabelled; one whose
 *       series never comes is one dead letter at the retention.
 * </ul>
 */
final class DicomSeriesCollector {
  private static final Logger LOG = LoggerFactory.getLogger(DicomSeriesCollector.class);

  /** Fewest slices a published volume has. */
  static final int MIN_SLICES = 3;

  /** Separates series and SOP Instance UID in instance store keys (never in a UID). */
  private static final String SEPARATOR = "/";

  private final DicomInstances instances;
  private final SeriesAssembler assembler;
  private final ClaimCheckStore claims;
  private final VolumeMapper volumes;
  private final IngestMetrics metrics;
  private final IngestConfig.DicomSeriesConfig config;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StoredInstance> stored;
  private KeyValueStore<String, SeriesState> series;
  private DedupStore seen;

  DicomSeriesCollector(
      DicomInstances instances,
      ClaimCheckStore claims,
      VolumeMapper volumes,
      IngestMetrics metrics,
      IngestConfig.DicomSeriesConfig config) {
    this.instances = instances;
    this.assembler = new SeriesAssembler(config.toleranceMm());
    this.claims = claims;
    this.volumes = volumes;
    this.metrics = metrics;
    this.config = config;
  }

  void init(ProcessorContext<String, Object> context, DedupStore seen) {
    this.context = context;
    this.seen = seen;
    this.stored = context.getStateStore(IngestTopology.DICOM_INSTANCE_STORE);
    this.series = context.getStateStore(IngestTopology.DICOM_SERIES_STORE);
    context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  /**
   * One instance record.
   *
   * @param bytes the instance's bytes (read back from the claim check when it had one)
   * @param metadata its headers
   */
  void collect(String key, byte[] bytes, UploadMetadata metadata, Origin origin, long timestamp) {
    DicomInstances.Checked instance;
    try {
      instance = instances.checkAny(bytes);
      if (!instance.seriesKey().equals(key)) {
        throw keyMismatch(instance.isSegmentation());
      }
    } catch (IngestRejection e) {
      reject(key, e.rejection(), origin, timestamp);
      return;
    }
    String uid = key;
    SeriesState state = series.get(uid);
    if (state != null && state.skipped()) {
      if (instance.isSegmentation()) {
        reject(uid, SeriesSegmentations.seriesSkipped(), origin, timestamp);
        return;
      }
      LOG.debug("series {}: one more instance of a skipped series dropped", LogSafe.id(uid));
      return;
    }
    String slot =
        instance.isSegmentation()
            ? SeriesSegmentations.slot(uid, SEPARATOR, instance.sopInstanceUid())
            : uid + SEPARATOR + instance.sopInstanceUid();
    String sha = ContentHash.of(bytes, null);
    StoredInstance before = stored.get(slot);
    if (before != null && before.sha256().equals(sha)) {
      metrics.duplicate(StudySource.DICOM);
      LOG.info(
          "series {}: instance {} arrived again unchanged; nothing to do",
          LogSafe.id(uid),
          LogSafe.id(instance.sopInstanceUid()));
      return;
    }
    if (instance.isSegmentation()) {
      // One label per series: a hospital's newer Segmentation corrects the one before.
      deleteSlots(SeriesSegmentations.prefix(uid, SEPARATOR));
    }
    byte[] kept = metadata.claim() == null ? bytes : new byte[0];
    stored.put(
        slot,
        new StoredInstance(sha, kept, metadata.claim(), metadata.source(), origin, timestamp));
    long now = context.currentSystemTimeMs();
    SeriesState next =
        (state == null ? new SeriesState(now, 0, false) : state)
            .arrived(now, config.quiet().toMillis());
    series.put(uid, next);
    LOG.debug(
        "series {}: {} {} {}",
        LogSafe.id(uid),
        instance.isSegmentation() ? "segmentation" : "instance",
        LogSafe.id(instance.sopInstanceUid()),
        before == null ? "added" : "replaced");
  }

  private static IngestRejection keyMismatch(boolean segmentation) {
    return new IngestRejection(
        IngestReason.SERIES_KEY_MISMATCH,
        "key",
        segmentation
            ? "the Segmentation's Referenced Series Instance UID"
            : "the instance's Series Instance UID",
        segmentation
            ? "a DICOM Segmentation's record key must be the Series Instance UID of the series it"
                + " labels (Referenced Series Sequence (0008,1115)); it is not"
            : "a DICOM instance's record key must be its Series Instance UID (0020,000E), the key"
                + " of its series; it is not");
  }

  /** Wall-clock punctuation: assembles series quiet long enough, forgets those past retention. */
  private void punctuate(long now) {
    List<String> due = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, SeriesState> it = series.all()) {
      while (it.hasNext()) {
        KeyValue<String, SeriesState> entry = it.next();
        SeriesState s = entry.value;
        if (s.waiting() && s.due() <= now) {
          due.add(entry.key);
        } else if (!s.waiting() && s.lastArrival() + config.retention().toMillis() <= now) {
          expired.add(entry.key);
        }
      }
    }
    for (String uid : due) {
      complete(uid, now);
    }
    for (String uid : expired) {
      dropUnmatchedSegmentations(uid, now);
      deleteInstances(uid);
      series.delete(uid);
      LOG.debug("series {}: instances deleted after the retention", LogSafe.id(uid));
    }
  }

  private void complete(String uid, long now) {
    SeriesState state = series.get(uid);
    List<StoredInstance> kept = new ArrayList<>();
    List<MrInstance> read = new ArrayList<>();
    Map<String, StoredInstance> segmentations = new LinkedHashMap<>();
    String segPrefix = SeriesSegmentations.prefix(uid, SEPARATOR);
    try (KeyValueIterator<String, StoredInstance> it =
        stored.prefixScan(uid + SEPARATOR, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, StoredInstance> entry = it.next();
        if (entry.key.startsWith(segPrefix)) {
          segmentations.put(entry.key, entry.value);
        } else {
          kept.add(entry.value);
        }
      }
    }
    if (kept.isEmpty()) {
      // Nothing but a Segmentation yet: it waits for its series, up to the retention.
      series.put(uid, state.settled());
      return;
    }
    StoredInstance latest = kept.get(0);
    for (StoredInstance s : kept) {
      latest = s.timestamp() >= latest.timestamp() ? s : latest;
    }
    try {
      for (StoredInstance s : kept) {
        read.add(instances.check(bytesOf(s)));
      }
    } catch (IngestRejection e) {
      series.put(uid, state.settled());
      reject(uid, e.rejection(), latest.origin(), now);
      return;
    }
    var skip = SeriesSelection.skip(read);
    if (skip.isPresent()) {
      skipSeries(uid, state, skip.get(), read.size(), now);
      return;
    }
    series.put(uid, state.settled());
    DicomVolume volume;
    try {
      volume = assembler.assemble(read);
      if (volume.slices() < MIN_SLICES) {
        throw new SeriesException(
            SeriesReason.SERIES_TOO_FEW_SLICES,
            (String) null,
            volume.slices()
                + " slice(s); a volume needs at least "
                + MIN_SLICES
                + " (the rest of the series may not have been sent)");
      }
    } catch (SeriesException e) {
      reject(uid, DicomInstances.rejectionOf(e), latest.origin(), now);
      return;
    } catch (RuntimeException e) {
      // An assembly bug must not stop ingest (the series would fail its task again and again):
      // it is dead-lettered, its instances kept. Only the exception's type and place are logged.
      LOG.warn(
          "series {}: assembly failed unexpectedly: {} at {}",
          LogSafe.id(uid),
          e.getClass().getName(),
          e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "unknown");
      reject(
          uid,
          Rejection.of(
              IngestReason.UNREADABLE_IMAGE,
              null,
              null,
              "series assembly failed on this series (" + e.getClass().getSimpleName() + ")"),
          latest.origin(),
          now);
      return;
    }
    SeriesSegmentations.Label label = label(uid, volume, read, segmentations, now);
    long receivedAt = latest.timestamp();
    for (StoredInstance seg : segmentations.values()) {
      receivedAt = Math.max(receivedAt, seg.timestamp());
    }
    publish(uid, volume, kept, read, label, receivedAt);
  }

  /**
   * The series' label from its Segmentation, or null when it has none. A Segmentation that does not
   * fit the series is one dead letter and is dropped from the store (so it is not refused again
   * when the series changes); the series goes on unlabelled.
   */
  private SeriesSegmentations.Label label(
      String uid,
      DicomVolume volume,
      List<MrInstance> read,
      Map<String, StoredInstance> segmentations,
      long now) {
    SeriesSegmentations.Label label = null;
    for (Map.Entry<String, StoredInstance> entry : segmentations.entrySet()) {
      StoredInstance s = entry.getValue();
      try {
        DicomInstances.Checked checked = instances.checkAny(bytesOf(s));
        if (!checked.isSegmentation()) {
          throw keyMismatch(true);
        }
        label =
            SeriesSegmentations.map(
                checked.segmentation(), s.sha256(), volume, read, config.toleranceMm());
      } catch (IngestRejection e) {
        stored.delete(entry.getKey());
        reject(uid, e.rejection(), s.origin(), now);
      }
    }
    return label;
  }

  /**
   * A series past its retention with a Segmentation but no image: the series never came. Each such
   * Segmentation is one dead letter.
   */
  private void dropUnmatchedSegmentations(String uid, long now) {
    String segPrefix = SeriesSegmentations.prefix(uid, SEPARATOR);
    List<StoredInstance> unmatched = new ArrayList<>();
    try (KeyValueIterator<String, StoredInstance> it =
        stored.prefixScan(uid + SEPARATOR, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, StoredInstance> entry = it.next();
        if (!entry.key.startsWith(segPrefix)) {
          return;
        }
        unmatched.add(entry.value);
      }
    }
    for (StoredInstance s : unmatched) {
      reject(uid, SeriesSegmentations.seriesMissing(config.retention()), s.origin(), now);
    }
  }

  private void publish(
      String uid,
      DicomVolume volume,
      List<StoredInstance> kept,
      List<MrInstance> read,
      SeriesSegmentations.Label label,
      long receivedAt) {
    String revision = revisionOf(read, kept, label);
    if (revision.equals(seen.get(uid))) {
      metrics.duplicate(StudySource.DICOM);
      LOG.info(
          "series {}: already published with these instances (sha256 {}), not again",
          LogSafe.id(uid),
          revision.substring(0, 12));
      return;
    }
    Sequence sequence =
        SequenceRule.classify(read.get(0).image().dataset())
            .map(s -> Sequence.valueOf(s.name()))
            .orElse(Sequence.UNKNOWN);
    Study event;
    try {
      event =
          Study.newBuilder()
              .setStudyUid(uid)
              .setSequence(sequence)
              .setSource(StudySource.DICOM)
              .setSourceName(null)
              .setContentSha256(revision)
              .setReceivedAt(Instant.ofEpochMilli(receivedAt))
              .setImage(volumes.toVolume(volume.image(), null))
              .setLabel(label == null ? null : volumes.toVolume(label.labels().label(), null))
              .setLabelCoverage(label == null ? null : LabelDeclarations.toEvent(label.coverage()))
              .setDicomSource(DicomSources.of(volume, read, config.toleranceMm(), claims))
              .build();
    } catch (VolumeException e) {
      // The claim-check store refused the volume: Kafka-side trouble, not the input's.
      throw new IllegalStateException("series volume could not be stored: " + e.getMessage(), e);
    }
    seen.put(uid, revision);
    context.forward(
        new Record<String, Object>(uid, event, receivedAt, new RecordHeaders()),
        IngestTopology.STUDIES_SINK);
    metrics.accepted(StudySource.DICOM);
    LOG.info(
        "series {}: published as one study ({} instances, {} slices, {}{}, sha256 {})",
        LogSafe.id(uid),
        volume.instances(),
        volume.slices(),
        sequence,
        label == null ? "" : ", labelled " + label.coverage(),
        revision.substring(0, 12));
  }

  private void skipSeries(
      String uid, SeriesState state, SeriesSelection.Decision skip, int count, long now) {
    series.put(uid, state.skip());
    deleteInstances(uid);
    metrics.skipped(skip.skip().name());
    LOG.info(
        "series {}: skipped, {} ({} instance(s)): {}",
        LogSafe.id(uid),
        skip.skip(),
        count,
        LogSafe.text(skip.reason()));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("door", "DICOM");
    details.put("skipped", skip.skip().name());
    details.put("reason", skip.reason());
    details.put("instances", Integer.toString(count));
    AuditEvent event =
        AuditPublisher.event(
            AuditAction.UPLOAD,
            AuditOutcome.ACCEPTED,
            IngestService.NAME,
            null,
            IngestService.NAME,
            uid,
            details,
            Instant.ofEpochMilli(now));
    context.forward(
        new Record<String, Object>(uid, event, now, new RecordHeaders()),
        IngestTopology.AUDIT_SINK);
  }

  private void deleteInstances(String uid) {
    deleteSlots(uid + SEPARATOR);
  }

  private void deleteSlots(String prefix) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, StoredInstance> it =
        stored.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        keys.add(it.next().key);
      }
    }
    keys.forEach(stored::delete);
  }

  private byte[] bytesOf(StoredInstance s) throws IngestRejection {
    if (s.claim() == null) {
      return s.value();
    }
    try {
      return claims.get(s.claim());
    } catch (VolumeException e) {
      throw new IngestRejection(
          IngestReason.CLAIM_CHECK_INVALID,
          UploadHeaders.CLAIM_URI,
          "a file in the claim-check store",
          "a claim-checked instance of the series can no longer be read: " + e.getMessage());
    }
  }

  /**
   * The revision of a series: SHA-256 over its instances' SOP Instance UIDs and content hashes in
   * UID order, so the same instances give the same revision whatever their arrival order; then its
   * Segmentation's, when it is labelled (an unlabelled series keeps the revision it always had).
   */
  static String revisionOf(
      List<MrInstance> read, List<StoredInstance> kept, SeriesSegmentations.Label label) {
    Map<String, String> bySop = new java.util.TreeMap<>();
    for (int i = 0; i < read.size(); i++) {
      bySop.put(read.get(i).sopInstanceUid(), kept.get(i).sha256());
    }
    MessageDigest digest = ContentHash.sha256();
    bySop.forEach(
        (sop, sha) -> digest.update((sop + "=" + sha + "\n").getBytes(StandardCharsets.US_ASCII)));
    if (label != null) {
      digest.update(label.revisionLine().getBytes(StandardCharsets.US_ASCII));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private void reject(String key, Rejection rejection, Origin origin, long timestamp) {
    String uid = StudyUids.isValid(key) ? key : null;
    DeadLetter letter =
        IngestEvents.deadLetter(uid, rejection, origin, context.currentSystemTimeMs());
    context.forward(
        new Record<String, Object>(key, letter, timestamp, new RecordHeaders()),
        IngestTopology.DEADLETTER_SINK);
    metrics.rejected(IngestMetrics.TOPIC, rejection.reasonCode());
    LOG.info(
        "series {}: rejected {} (field {}), input at {}",
        uid == null ? "(invalid key)" : LogSafe.id(uid),
        rejection.reasonCode(),
        LogSafe.text(rejection.field()),
        LogSafe.text(origin.location()));
  }
}
