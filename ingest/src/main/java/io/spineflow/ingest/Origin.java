package io.spineflow.ingest;

import java.nio.file.Path;

/**
 * Where a rejected input can be found again, for the dead letter: a {@code studies.upload} record
 * ({@code topic/partition/offset}) or a file (the watched folder's failed/ or the HTTP quarantine).
 *
 * @param topic null for a file
 * @param partition null for a file
 * @param offset null for a file
 * @param location {@code topic/partition/offset} or the file's absolute path
 */
public record Origin(String topic, Integer partition, Long offset, String location) {

  public static Origin ofRecord(String topic, int partition, long offset) {
    return new Origin(topic, partition, offset, topic + "/" + partition + "/" + offset);
  }

  public static Origin ofPath(Path path) {
    return new Origin(null, null, null, path.toAbsolutePath().toString());
  }
}
