package io.spineflow.imaging.dicom;

/**
 * Why an MR instance or a series of them cannot become a volume, after each file was read (file
 * problems are the reader's {@link ReasonCode}s). A stable contract like {@link ReasonCode}: these
 * names are published on the dead-letter topic; never rename or reuse one.
 */
public enum SeriesReason {
  /**
   * A SOP class spineflow does not segment: only MR Image Storage (1.2.840.10008.5.1.4.1.1.4) and
   * Enhanced MR Image Storage (1.2.840.10008.5.1.4.1.1.4.1) are taken.
   */
  UNSUPPORTED_SOP_CLASS,
  /**
   * An attribute series assembly needs is absent from an instance (or a frame): SOP Instance UID,
   * Series Instance UID, Image Position / Orientation (Patient), Pixel Spacing.
   */
  MISSING_ATTRIBUTE,
  /** A UID that breaks PS3.5 9.1 (1-64 characters of digits and dots). */
  INVALID_UID,
  /** Instances given to series assembly belong to more than one Series Instance UID. */
  SERIES_MIXED,
  /** The slices of a series do not all have the same Rows and Columns. */
  SERIES_INCONSISTENT_SIZE,
  /** The slices of a series do not all have the same Image Orientation (Patient). */
  SERIES_INCONSISTENT_ORIENTATION,
  /**
   * Pixel Spacing differs between slices, or the distances between adjacent slice positions differ
   * by more than the tolerance without being a whole multiple of the slice spacing.
   */
  SERIES_INCONSISTENT_SPACING,
  /** The slice positions do not lie on one line along the slice normal (a sheared stack). */
  SERIES_POSITIONS_OFF_AXIS,
  /** Two or more slices at the same position along the normal (a time series, a re-acquisition). */
  SERIES_DUPLICATE_POSITION,
  /** A gap of a whole number of slice spacings: the slices at the named positions are missing. */
  SERIES_MISSING_POSITION,
  /** Fewer slices than a volume needs. */
  SERIES_TOO_FEW_SLICES,
  /** The assembled volume has more voxels than the limit. */
  SERIES_TOO_LARGE
}
