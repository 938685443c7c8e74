package io.spineflow.platform.deadletter;

/**
 * Reason codes of records a service cannot take, whatever topic they come from. Published on {@code
 * deadletter} and matched by operators: never rename or reuse a constant.
 */
public enum PoisonReason {
  /** A record without a value (a tombstone) on a topic whose events are never deleted. */
  TOMBSTONE,
  /** Bytes that are not the topic's event in Avro single-object encoding. */
  UNDECODABLE_VALUE,
  /** The {@code spineflow.schema} header is missing when needed, corrupt or of another schema. */
  SCHEMA_HEADER_INVALID,
  /** A decoded event with a field outside its contract (NaN, a negative or huge size, ...). */
  INVALID_VALUE,
  /** A processor failed on the record in a way nobody foresaw (a bug; the input is kept). */
  PROCESSING_FAILED,
  /** An output derived from the record could not be serialised or is too large to publish. */
  UNPUBLISHABLE_OUTPUT
}
