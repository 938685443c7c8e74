package io.spineflow.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps the bytes of rejected HTTP uploads, so a rejection loses nothing: one new directory per
 * upload, named by time, study UID and a random suffix. Operators empty it.
 */
final class Quarantine {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path directory;

  Quarantine(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  Path directory() {
    return directory;
  }

  /**
   * Writes {@code files} (name → bytes) into a new directory and returns it.
   *
   * @param uid the study UID when valid, else null
   */
  Path keep(String uid, Map<String, byte[]> files) throws IOException {
    String label = StudyUids.isValid(uid) ? uid : "unnamed";
    Path dir =
        directory.resolve(
            STAMP.format(Instant.now())
                + "-"
                + label
                + "-"
                + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }
}
