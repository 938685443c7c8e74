package io.spineflow.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record whose {@value AvroSerde#SCHEMA_HEADER} header is missing when it is needed, corrupt, or
 * does not describe the record's schema fingerprint. A distinct type so a dead letter can name the
 * header rather than the value.
 */
public final class SchemaHeaderException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public SchemaHeaderException(String message) {
    super(message);
  }

  public SchemaHeaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
