package io.spineflow.ingest;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.metaimage.ReasonCode;
import io.spineflow.platform.DedupStore;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeException;
import io.spineflow.platform.volume.VolumeMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processor of {@link IngestTopology}: pairs the parts of a study, validates it, drops
 * duplicates and forwards a {@link Study} to the studies sink or a {@link DeadLetter} to the
 * dead-letter sink. Every problem with the input ends in a dead letter; store and forward failures
 * are Kafka's and propagate (the task is retried, exactly-once).
 */
final class UploadProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(UploadProcessor.class);

  private final StudyValidator validator;
  private final ClaimCheckStore claims;
  private final VolumeMapper volumes;
  private final IngestMetrics metrics;
  private final Duration pairingTimeout;
  private final Duration checkInterval;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, PendingPart> pending;
  private KeyValueStore<String, Long> deadlines;
  private final Duration dedupRetention;
  private DedupStore seen;
  private final DicomSeriesCollector dicom;

  UploadProcessor(
      StudyValidator validator,
      ClaimCheckStore claims,
      VolumeMapper volumes,
      IngestMetrics metrics,
      Duration pairingTimeout,
      Duration checkInterval,
      Duration dedupRetention,
      DicomSeriesCollector dicom) {
    this.dicom = dicom;
    this.dedupRetention = dedupRetention;
    this.validator = validator;
    this.claims = claims;
    this.volumes = volumes;
    this.metrics = metrics;
    this.pairingTimeout = pairingTimeout;
    this.checkInterval = checkInterval;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.pending = context.getStateStore(IngestTopology.PENDING_STORE);
    this.deadlines = context.getStateStore(IngestTopology.DEADLINE_STORE);
    this.seen = DedupStore.attach(context, IngestTopology.SEEN_STORE, dedupRetention);
    context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expireWaitingParts);
    dicom.init(context, seen);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Origin origin =
        context
            .recordMetadata()
            .map(m -> Origin.ofRecord(m.topic(), m.partition(), m.offset()))
            .orElse(new Origin(null, null, null, "unknown"));
    byte[] value = record.value() == null ? new byte[0] : record.value();
    metrics.receivedBytes(IngestMetrics.TOPIC, value.length);
    String key = record.key();
    UploadMetadata metadata;
    boolean isDicom;
    try {
      StudyUids.require(key, "key");
      metadata = UploadMetadata.parse(record.headers());
      isDicom = DicomUploads.isDicom(record.headers());
    } catch (IngestRejection e) {
      reject(key, e.rejection(), origin, record.timestamp());
      return;
    }
    if (isDicom) {
      collectDicom(key, value, metadata, origin, record.timestamp());
      return;
    }
    PendingPart part = new PendingPart(metadata, value, origin, record.timestamp());
    if (metadata.part() == UploadPart.IMAGE && !metadata.expectMask()) {
      complete(key, part, null);
      return;
    }
    PendingPart waiting = pending.get(key);
    if (waiting == null) {
      await(key, part);
    } else if (waiting.metadata().part() == metadata.part()) {
      replaceWaiting(key, waiting, part);
    } else {
      forget(key);
      boolean isImage = metadata.part() == UploadPart.IMAGE;
      complete(key, isImage ? part : waiting, isImage ? waiting : part);
    }
  }

  private void collectDicom(
      String key, byte[] value, UploadMetadata metadata, Origin origin, long timestamp) {
    byte[] bytes;
    try {
      bytes = bytesOf(new PendingPart(metadata, value, origin, timestamp));
    } catch (IngestRejection e) {
      reject(key, e.rejection(), origin, timestamp);
      return;
    }
    dicom.collect(key, bytes, metadata, origin, timestamp);
  }

  private void await(String uid, PendingPart part) {
    pending.put(uid, part);
    deadlines.put(uid, context.currentSystemTimeMs() + pairingTimeout.toMillis());
    LOG.debug(
        "study {}: {} waits for its other part",
        LogSafe.id(uid),
        part.metadata().part().wireName());
  }

  private void forget(String uid) {
    pending.delete(uid);
    deadlines.delete(uid);
  }

  private void replaceWaiting(String uid, PendingPart waiting, PendingPart newer) {
    if (waiting.sameContent(newer)) {
      metrics.duplicate(newer.metadata().source());
      LOG.info(
          "study {}: the same {} arrived again while it waited; kept the first",
          LogSafe.id(uid),
          newer.metadata().part().wireName());
      return;
    }
    String which = waiting.metadata().part().wireName();
    reject(
        uid,
        Rejection.of(
                IngestReason.PART_SUPERSEDED,
                UploadHeaders.PART,
                "one " + which + " per study until its other part arrives",
                "a different "
                    + which
                    + " for this study arrived at "
                    + newer.origin().location()
                    + " before the other part; the newer one waits instead")
            .forPart(waiting.metadata().part()),
        waiting.origin(),
        newer.timestamp());
    await(uid, newer);
  }

  private void complete(String uid, PendingPart image, PendingPart mask) {
    byte[] imageBytes;
    byte[] maskBytes;
    try {
      imageBytes = bytesOf(image);
      maskBytes = mask == null ? null : bytesOf(mask);
    } catch (IngestRejection e) {
      Rejection r = e.rejection();
      reject(uid, r, originOf(r, image, mask), latest(image, mask));
      return;
    }
    LabelCoverage coverage = declaredCoverage(image, mask);
    try {
      LabelDeclarations.requireMask(coverage, mask != null, UploadHeaders.LABEL_CLASSES);
    } catch (IngestRejection e) {
      reject(uid, e.rejection().forPart(UploadPart.IMAGE), image.origin(), latest(image, mask));
      return;
    }
    String hash = ContentHash.of(imageBytes, maskBytes);
    String revision = hash + LabelDeclarations.revisionSuffix(coverage);
    if (revision.equals(seen.get(uid))) {
      metrics.duplicate(image.metadata().source());
      LOG.info(
          "study {}: already accepted with this content (sha256 {}), not published again",
          LogSafe.id(uid),
          hash.substring(0, 12));
      return;
    }
    ValidatedStudy study;
    try {
      study = validator.validate(imageBytes, maskBytes, hash);
    } catch (IngestRejection e) {
      Rejection r = e.rejection();
      reject(uid, r, originOf(r, image, mask), latest(image, mask));
      return;
    }
    long receivedAt = latest(image, mask);
    Study event =
        IngestEvents.study(
            uid, image.metadata().withLabelCoverage(coverage), study, volumes, receivedAt);
    seen.put(uid, revision);
    context.forward(
        new Record<String, Object>(uid, event, receivedAt, new RecordHeaders()),
        IngestTopology.STUDIES_SINK);
    metrics.accepted(image.metadata().source());
    LOG.info(
        "study {}: accepted from {} ({}{}, sha256 {})",
        LogSafe.id(uid),
        image.metadata().source(),
        event.getSequence(),
        mask == null ? "" : ", with mask",
        hash.substring(0, 12));
  }

  /**
   * The declaration of the study: the image's (where the wire contract puts it), else one a client
   * put on the mask part, which describes the same mask.
   */
  private static LabelCoverage declaredCoverage(PendingPart image, PendingPart mask) {
    if (image.metadata().labelCoverage() != null || mask == null) {
      return image.metadata().labelCoverage();
    }
    return mask.metadata().labelCoverage();
  }

  private byte[] bytesOf(PendingPart part) throws IngestRejection {
    ClaimCheck claim = part.metadata().claim();
    if (claim == null) {
      return part.value();
    }
    UploadPart which = part.metadata().part();
    if (part.value().length > 0) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.INVALID_HEADER,
                  UploadHeaders.CLAIM_URI,
                  "only on a record with an empty value",
                  UploadHeaders.CLAIM_URI + " set on a record that carries bytes")
              .forPart(which));
    }
    long max = validator.reader().limits().maxInputBytes();
    if (claim.getSizeBytes() > max) {
      throw new IngestRejection(
          new Rejection(
              ReasonCode.INPUT_TOO_LARGE.name(),
              UploadHeaders.CLAIM_SIZE,
              "maxInputBytes " + max,
              which.wireName() + ": claim-checked file of " + claim.getSizeBytes() + " bytes",
              which));
    }
    try {
      return claims.get(claim);
    } catch (VolumeException e) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.CLAIM_CHECK_INVALID,
                  claimHeader(e.field()),
                  "a file in the claim-check store matching "
                      + UploadHeaders.CLAIM_SHA256
                      + " and "
                      + UploadHeaders.CLAIM_SIZE,
                  which.wireName() + ": " + e.getMessage())
              .forPart(which));
    }
  }

  private static String claimHeader(String field) {
    return switch (field == null ? "" : field) {
      case "sha256" -> UploadHeaders.CLAIM_SHA256;
      case "sizeBytes" -> UploadHeaders.CLAIM_SIZE;
      default -> UploadHeaders.CLAIM_URI;
    };
  }

  /** A rejection of the mask points at the mask's record, anything else at the image's. */
  private static Origin originOf(Rejection r, PendingPart image, PendingPart mask) {
    return r.part() == UploadPart.MASK && mask != null ? mask.origin() : image.origin();
  }

  private static long latest(PendingPart image, PendingPart mask) {
    return mask == null ? image.timestamp() : Math.max(image.timestamp(), mask.timestamp());
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
        "study {}: rejected {} (field {}), input at {}",
        uid == null ? "(invalid UID)" : LogSafe.id(uid),
        rejection.reasonCode(),
        LogSafe.text(rejection.field()),
        LogSafe.text(origin.location()));
  }

  /** Wall-clock punctuation: parts whose other part did not come in time are dead-lettered. */
  private void expireWaitingParts(long now) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = deadlines.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> entry = it.next();
        if (entry.value <= now) {
          expired.add(entry.key);
        }
      }
    }
    for (String uid : expired) {
      PendingPart part = pending.get(uid);
      forget(uid);
      if (part == null) {
        continue;
      }
      reject(uid, missingOtherPart(part), part.origin(), now);
    }
  }

  private Rejection missingOtherPart(PendingPart part) {
    if (part.metadata().part() == UploadPart.IMAGE) {
      return Rejection.of(
              IngestReason.MASK_MISSING,
              UploadHeaders.EXPECT_MASK,
              "a mask with the same key within " + pairingTimeout,
              "the image announced a mask that did not arrive within " + pairingTimeout)
          .forPart(UploadPart.IMAGE);
    }
    return Rejection.of(
            IngestReason.IMAGE_MISSING,
            UploadHeaders.PART,
            "an image with "
                + UploadHeaders.EXPECT_MASK
                + "=true and the same key within "
                + pairingTimeout,
            "a mask arrived but no image announcing it within " + pairingTimeout)
        .forPart(UploadPart.MASK);
  }
}
