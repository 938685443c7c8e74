package io.spineflow.imaging.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The vendored DICOM files under {@code io/spineflow/imaging/dicom/files} (see ATTRIBUTION.md). */
final class DicomFiles {
  private DicomFiles() {}

  static byte[] bytes(String name) {
    try (InputStream in = DicomFiles.class.getResourceAsStream("files/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no vendored file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
