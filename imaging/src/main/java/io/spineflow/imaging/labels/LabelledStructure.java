package io.spineflow.imaging.labels;

import io.spineflow.imaging.metrics.SpineClass;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A structure a label mask can declare it labels. Two declarations map to the vertebra class:
 * {@link #VERTEBRAE} (whole vertebrae, as SPIDER and the phantoms label them) and {@link
 * #VERTEBRAL_BODIES} (bodies only, as most public vertebra sets do: the posterior elements are in
 * the image but unlabelled, so a 0 there is unknown, not background).
 */
public enum LabelledStructure {
  VERTEBRAE("vertebrae", SpineClass.VERTEBRAE),
  VERTEBRAL_BODIES("vertebral-bodies", SpineClass.VERTEBRAE),
  CANAL("canal", SpineClass.SPINAL_CANAL),
  DISCS("discs", SpineClass.DISCS);

  private final String declaration;
  private final SpineClass spineClass;

  LabelledStructure(String declaration, SpineClass spineClass) {
    this.declaration = declaration;
    this.spineClass = spineClass;
  }

  /** The word used in headers, fields, sidecars and manifests, e.g. {@code vertebral-bodies}. */
  public String declaration() {
    return declaration;
  }

  /** The segmentation class this structure's voxels belong to. */
  public SpineClass spineClass() {
    return spineClass;
  }

  /**
   * The structure declared as {@code word} (case-insensitive; {@code _} and {@code -} alike).
   *
   * @throws IllegalArgumentException naming the accepted words
   */
  public static LabelledStructure parse(String word) {
    String w = word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (LabelledStructure s : values()) {
      if (s.declaration.equals(w)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown labelled class '" + word + "'; known: all, " + declarations());
  }

  /** The accepted words, comma-separated. */
  public static String declarations() {
    return Arrays.stream(values()).map(s -> s.declaration).collect(Collectors.joining(", "));
  }
}
