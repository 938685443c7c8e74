package io.spineflow.dashboard;

import java.util.List;

/**
 * The keys of the quality time series: all traffic, one per MR sequence ({@code sequence:T2}) and
 * one per model version ({@code version:spine-unet:3}).
 */
public final class SeriesKey {
  private SeriesKey() {}

  public static final String ALL = "all";
  public static final String SEQUENCE_PREFIX = "sequence:";
  public static final String VERSION_PREFIX = "version:";

  public static String sequence(String sequence) {
    return SEQUENCE_PREFIX + sequence;
  }

  public static String version(String modelName, int version) {
    return VERSION_PREFIX + modelName + ":" + version;
  }

  /** The series a quality sample counts in. */
  public static List<String> of(QualitySample sample) {
    return List.of(
        ALL, sequence(sample.sequence()), version(sample.modelName(), sample.modelVersion()));
  }

  /** A label for the page: {@code all traffic}, {@code T2}, {@code spine-unet v3}. */
  public static String label(String key) {
    if (key.startsWith(SEQUENCE_PREFIX)) {
      return key.substring(SEQUENCE_PREFIX.length());
    }
    if (key.startsWith(VERSION_PREFIX)) {
      String rest = key.substring(VERSION_PREFIX.length());
      int colon = rest.lastIndexOf(':');
      return colon < 0 ? rest : rest.substring(0, colon) + " v" + rest.substring(colon + 1);
    }
    return "all traffic";
  }
}
