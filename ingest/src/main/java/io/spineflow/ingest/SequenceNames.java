package io.spineflow.ingest;

import io.spineflow.events.Sequence;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads a study's MR sequence from a file name or a header value. */
public final class SequenceNames {
  private SequenceNames() {}

  /**
   * The sequence of a study named like SPIDER's files: {@code NAME} ending in {@code _t1}, {@code
   * _t2} or {@code _t2_SPACE} (any case); {@link Sequence#UNKNOWN} otherwise. {@code NAME} is the
   * file name without {@code .mha}/{@code .mhd}.
   */
  public static Sequence fromStudyName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    // Longest suffix first, so a longer suffix is never shadowed by a shorter one.
    return Stream.of(io.spineflow.imaging.Sequence.values())
        .sorted(Comparator.comparingInt(s -> -s.suffix().length()))
        .filter(s -> lower.endsWith("_" + s.suffix().toLowerCase(Locale.ROOT)))
        .findFirst()
        .map(s -> Sequence.valueOf(s.name()))
        .orElse(Sequence.UNKNOWN);
  }

  /**
   * Parses a {@code spineflow.sequence} value: {@code T1}, {@code T2}, {@code T2_SPACE} or {@code
   * UNKNOWN}, any case; empty for anything else.
   */
  public static Optional<Sequence> parse(String value) {
    for (Sequence s : Sequence.values()) {
      if (s.name().equalsIgnoreCase(value.trim())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The study name of a file: its name without {@code .mha}/{@code .mhd} (any case). */
  public static String studyName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".mha") || lower.endsWith(".mhd")) {
      return fileName.substring(0, fileName.length() - 4);
    }
    return fileName;
  }
}
