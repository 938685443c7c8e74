package io.spineflow.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which files of a folder are DICOM: those named {@code *.dcm}, {@code *.dicom} or {@code *.ima},
 * and any other without a MetaImage extension that has "DICM" after its 128-byte preamble (scanners
 * and PACS exports often name files {@code IM000001} with no extension). {@code DICOMDIR} is a
 * directory record, not an image, and is not taken.
 */
final class DicomFiles {
  /** Largest DICOM file the folder door and {@code push} read (one Kafka upload record). */
  static final long MAX_FILE_BYTES = IngestConfig.UPLOAD_INLINE_LIMIT;

  private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);

  private DicomFiles() {}

  static boolean isDicom(Path file) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.equals("dicomdir")) {
      return false;
    }
    if (lower.endsWith(".dcm") || lower.endsWith(".dicom") || lower.endsWith(".ima")) {
      return true;
    }
    if (lower.endsWith(".mha")
        || lower.endsWith(".mhd")
        || lower.endsWith(".raw")
        || lower.endsWith(".zraw")
        || lower.endsWith(".labels")
        || lower.endsWith(".tsv")
        || lower.endsWith(".txt")) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && Arrays.equals(head, 128, 132, DICM, 0, 4);
    } catch (IOException e) {
      return false;
    }
  }

  /** The file's bytes, at most {@link #MAX_FILE_BYTES}. */
  static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(
          file.getFileName()
              + ": "
              + size
              + " bytes, more than a DICOM file may have here ("
              + MAX_FILE_BYTES
              + ")");
    }
    return Files.readAllBytes(file);
  }
}
