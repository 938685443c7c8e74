package io.spineflow.ingest;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DeadLetter;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How ingest's own doors (HTTP, watched folder) hand studies to the topology: as {@code
 * studies.upload} records following the wire contract, with files above the upload limit in the
 * claim-check store; and their rejections as dead letters. Every send waits for the broker's
 * acknowledgement (idempotent producer, acks=all). Thread-safe.
 */
final class UploadPublisher {
  private final Producer<String, byte[]> producer;
  private final Topics topics;
  private final ClaimCheckStore claims;
  private final int uploadInlineMaxBytes;
  private final Duration ackTimeout;

  UploadPublisher(
      Producer<String, byte[]> producer,
      Topics topics,
      ClaimCheckStore claims,
      int uploadInlineMaxBytes,
      Duration ackTimeout) {
    this.producer = producer;
    this.topics = topics;
    this.claims = claims;
    this.uploadInlineMaxBytes = uploadInlineMaxBytes;
    this.ackTimeout = ackTimeout;
  }

  /**
   * Sends a study's image, then its mask (same key, so same partition and order), and waits until
   * both are acknowledged.
   *
   * @param metadata the image part's metadata; {@code expectMask} is set from {@code mask}
   * @param mask null when the study has no mask
   */
  List<RecordMetadata> publish(String uid, UploadMetadata metadata, byte[] image, byte[] mask)
      throws PublishException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try {
      sent.add(send(uid, metadata.withPart(UploadPart.IMAGE, mask != null), image));
      if (mask != null) {
        sent.add(send(uid, metadata.withPart(UploadPart.MASK, false), mask));
      }
    } catch (KafkaException e) {
      throw new PublishException("study " + uid + " not sent: " + e, e);
    }
    List<RecordMetadata> acks = new ArrayList<>();
    for (Future<RecordMetadata> future : sent) {
      acks.add(await(future, "study " + uid));
    }
    return acks;
  }

  /**
   * Sends one DICOM instance (key: its Series Instance UID, {@code spineflow.format=dicom}) and
   * waits for the acknowledgement.
   *
   * @param sourceName the file name, or null
   */
  RecordMetadata publishDicom(String seriesUid, byte[] instance, String sourceName)
      throws PublishException {
    UploadMetadata metadata =
        new UploadMetadata(
            io.spineflow.events.Sequence.UNKNOWN,
            UploadPart.IMAGE,
            false,
            sourceName,
            io.spineflow.events.StudySource.DICOM,
            null);
    Future<RecordMetadata> sent;
    try {
      sent = send(seriesUid, metadata, instance, true);
    } catch (KafkaException e) {
      throw new PublishException("instance of series " + seriesUid + " not sent: " + e, e);
    }
    return await(sent, "instance of a series");
  }

  private Future<RecordMetadata> send(String uid, UploadMetadata part, byte[] bytes) {
    return send(uid, part, bytes, false);
  }

  private Future<RecordMetadata> send(
      String uid, UploadMetadata part, byte[] bytes, boolean dicom) {
    byte[] value = bytes;
    UploadMetadata metadata = part;
    if (bytes.length > uploadInlineMaxBytes) {
      ClaimCheck claim = claims.put(bytes);
      metadata = part.withClaim(claim);
      value = new byte[0];
    }
    Headers headers = metadata.toHeaders();
    if (dicom) {
      headers.add(
          UploadHeaders.FORMAT,
          UploadHeaders.FORMAT_DICOM.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return producer.send(
        new ProducerRecord<>(topics.studiesUpload().name(), null, uid, value, headers));
  }

  /** Sends a dead letter (key: the original key, may be null) and waits for the ack. */
  void publishDeadLetter(String key, DeadLetter letter) throws PublishException {
    String topic = topics.deadletter().name();
    Headers headers = new RecordHeaders();
    byte[] value = topics.deadletter().valueSerde().serializer().serialize(topic, headers, letter);
    Future<RecordMetadata> ack;
    try {
      ack = producer.send(new ProducerRecord<>(topic, null, key, value, headers));
    } catch (KafkaException e) {
      throw new PublishException("dead letter " + letter.getReasonCode() + " not sent: " + e, e);
    }
    await(ack, "dead letter " + letter.getReasonCode());
  }

  private RecordMetadata await(Future<RecordMetadata> future, String what) throws PublishException {
    try {
      return future.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PublishException(what + " not acknowledged: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException(what + " not acknowledged within " + ackTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(what + ": interrupted", e);
    }
  }
}
