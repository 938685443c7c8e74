package io.spineflow.ingest;

import java.util.Locale;
import java.util.Optional;

/** The two parts a study may have on {@code studies.upload}: the image and its label mask. */
public enum UploadPart {
  IMAGE,
  MASK;

  /** The value of the {@code spineflow.part} header: {@code image} or {@code mask}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@code spineflow.part} value (any case). */
  public static Optional<UploadPart> fromWire(String value) {
    for (UploadPart part : values()) {
      if (part.wireName().equalsIgnoreCase(value)) {
        return Optional.of(part);
      }
    }
    return Optional.empty();
  }
}
