package io.spineflow.imaging.levels;

/**
 * Why a study or a level needs a second look. A flag is reported as {@code CODE: detail}; nothing
 * implausible is dropped or corrected silently.
 */
public enum LevelFlag {
  /** Fewer than 4 discs found: the field of view or the segmentation misses lumbar levels. */
  LEVEL_COUNT_LOW,
  /**
   * More than 6 discs found: the field of view reaches the thoracic spine, or a disc was split;
   * names above L1/L2 are counted (T12/L1, …), not verified.
   */
  LEVEL_COUNT_HIGH,
  /** No disc found: nothing anchors the numbering, structures are listed unnumbered. */
  NO_DISC,
  /** Two bodies follow each other along the spine with no disc between: a placeholder disc. */
  MISSING_DISC,
  /** Two discs follow each other with no body between: a placeholder body. */
  MISSING_BODY,
  /** A disc that is not between two vertebral bodies along the spine. */
  ORDER,
  /** More than one vertebral component below the lowest disc (taken as the sacrum). */
  SACRUM_AMBIGUOUS,
  /** The lowest disc is much thinner than the one above: a transitional lumbosacral junction? */
  POSSIBLE_TRANSITIONAL,
  /** The structure touches the border of the slice: its extent, hence its size, is unknown. */
  CUT_BY_FIELD_OF_VIEW,
  /** A measurement could not be made; the detail says which and why. */
  NOT_MEASURED,
  /** No spinal canal on the slice: bodies are the vertebra components next to discs. */
  NO_CANAL,
  /** The slice's normal is more than 30° from left-right: heights are measured obliquely. */
  OBLIQUE_SLICE,
  /** Components smaller than the minimum area were ignored (noise or partial-volume crumbs). */
  FRAGMENTS_IGNORED;

  /** {@code CODE: detail}. */
  public String with(String detail) {
    return name() + ": " + detail;
  }
}
