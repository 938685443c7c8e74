package io.spineflow.results;

import io.spineflow.platform.deadletter.Poison;

/** A study revision whose result cannot be made: one dead letter naming the field and the limit. */
final class ResultRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reasonCode;
  private final String field;
  private final String limit;

  ResultRejectedException(String reasonCode, String field, String limit, String message) {
    super(message);
    this.reasonCode = reasonCode;
    this.field = field;
    this.limit = limit;
  }

  Poison poison() {
    return new Poison(reasonCode, field, limit, getMessage());
  }

  String reasonCode() {
    return reasonCode;
  }
}
