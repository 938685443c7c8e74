package io.spineflow.platform.deadletter;

import io.spineflow.schemas.AvroSerde;
import io.spineflow.schemas.SchemaHeaderException;

/**
 * Why one record cannot be processed, in the terms of a dead letter: a reason code, the field at
 * fault, the limit it broke and a message (which may quote the input, so it goes to the dead
 * letter, never to the logs).
 */
public record Poison(String reasonCode, String field, String limit, String message) {

  /** The value is absent. */
  public static Poison tombstone(String eventType) {
    return new Poison(
        PoisonReason.TOMBSTONE.name(),
        "value",
        "a " + eventType + " (tombstones are not part of this topic's contract)",
        "record without a value");
  }

  /** A field of a decoded event outside its contract. */
  public static Poison invalid(String field, String limit, String message) {
    return new Poison(PoisonReason.INVALID_VALUE.name(), field, limit, message);
  }

  /**
   * Classifies a failure to decode a value of {@code eventType}: a bad {@value
   * AvroSerde#SCHEMA_HEADER} header, or undecodable bytes.
   */
  public static Poison undecodable(String eventType, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SchemaHeaderException header) {
        return new Poison(
            PoisonReason.SCHEMA_HEADER_INVALID.name(),
            AvroSerde.SCHEMA_HEADER,
            "the deflated writer schema of the value's fingerprint, needed when the reader does"
                + " not know it",
            header.getMessage());
      }
    }
    return new Poison(
        PoisonReason.UNDECODABLE_VALUE.name(),
        "value",
        "a " + eventType + " in Avro single-object encoding",
        describe(failure));
  }

  /** A processor's unforeseen failure; {@code node} is the processor (the closest "field"). */
  public static Poison processingFailed(String node, Throwable failure) {
    return new Poison(
        PoisonReason.PROCESSING_FAILED.name(),
        node,
        "processed without an exception",
        describe(failure));
  }

  /** An output that cannot be serialised or sent. */
  public static Poison unpublishable(String topic, Throwable failure) {
    return new Poison(
        PoisonReason.UNPUBLISHABLE_OUTPUT.name(),
        topic,
        "an output the topic accepts (serialisable, within max.message.bytes)",
        describe(failure));
  }

  /** The exception and its causes, one line: what an operator needs to find the defect. */
  static String describe(Throwable failure) {
    StringBuilder out = new StringBuilder(failure.toString());
    for (Throwable t = failure.getCause(); t != null && out.length() < 1000; t = t.getCause()) {
      out.append("; caused by ").append(t);
    }
    return out.length() <= 1000 ? out.toString() : out.substring(0, 1000) + "...";
  }
}
