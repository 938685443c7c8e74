package io.spineflow.preprocess;

/**
 * Where an input record can be found again, for dead letters: {@code topic/partition/offset}.
 *
 * @param topic null when unknown (e.g. a record made by a punctuator, or a benchmark)
 * @param partition -1 when unknown
 * @param offset -1 when unknown
 */
public record SourceLocation(String topic, int partition, long offset) {

  /** A location for inputs that did not come from a topic. */
  public static SourceLocation unknown() {
    return new SourceLocation(null, -1, -1);
  }

  public boolean known() {
    return topic != null;
  }

  @Override
  public String toString() {
    return topic + "/" + partition + "/" + offset;
  }
}
