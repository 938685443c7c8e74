package io.spineflow.ingest;

import io.spineflow.imaging.dicom.Deidentifier.Pseudonym;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's original-to-pseudonym mapping: a tab-separated file (time, attribute, original,
 * pseudonym) created owner-readable only, to which each pair not written since start-up is
 * appended. Local only: it never goes to Kafka or a log. Thread-safe.
 */
final class PseudonymMap {
  /** Pairs remembered as written; older ones may be written again (a harmless duplicate line). */
  private static final int REMEMBERED = 100_000;

  private final Path file;
  private final Map<Pseudonym, Boolean> written =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Pseudonym, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  PseudonymMap(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Appends the pairs not yet written; returns once they are on disk. */
  synchronized void append(List<Pseudonym> pseudonyms) throws IOException {
    StringBuilder lines = new StringBuilder();
    String now = Instant.now().toString();
    for (Pseudonym p : pseudonyms) {
      if (written.put(p, Boolean.TRUE) == null) {
        lines.append(now).append('\t').append(p.attribute()).append('\t');
        lines.append(clean(p.original())).append('\t').append(p.pseudonym()).append('\n');
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    createOwnerOnly();
    try {
      Files.writeString(
          file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      pseudonyms.forEach(written::remove); // written again next time
      throw e;
    }
  }

  private void createOwnerOnly() throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // created meanwhile by another process: append to it
    }
  }

  /** One line per pair: tabs and line breaks inside an original would break the format. */
  private static String clean(String value) {
    return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
