package io.spineflow.imaging.dicom;

/**
 * Why a DICOM file was rejected. The constant names are a stable contract: they are published on
 * the dead-letter topic and matched by operators and dashboards, so never rename or reuse one; add
 * new constants instead.
 */
public enum ReasonCode {
  /** A stream given to the reader is longer than {@link DicomLimits#maxInputBytes()}. */
  INPUT_TOO_LARGE,
  /**
   * Neither {@code DICM} after a 128-byte preamble, nor a file meta group (0002) or a data set
   * starting with group 0008 at the first byte.
   */
  NOT_DICOM,
  /**
   * An element, item or fragment declares more bytes than follow it, or the input stops inside one.
   */
  TRUNCATED_DATA,
  /**
   * An element cannot be read: an explicit VR that is not two upper-case letters of a known VR, an
   * undefined length on an element that cannot have one, or a delimiter where an element belongs.
   */
  MALFORMED_ELEMENT,
  /**
   * A sequence or encapsulated pixel data holds something other than items (FFFE,E000), or an item
   * does not end where its length says.
   */
  MALFORMED_SEQUENCE,
  /** The same tag twice in one data set (which value would a reader trust?). */
  DUPLICATE_ELEMENT,
  /** An element other than Pixel Data is longer than {@link DicomLimits#maxElementBytes()}. */
  ELEMENT_TOO_LARGE,
  /** Sequences nest deeper than {@link DicomLimits#maxDepth()}. */
  NESTING_TOO_DEEP,
  /** The file holds more sequence items and fragments than {@link DicomLimits#maxItems()}. */
  TOO_MANY_ITEMS,
  /** Number of Frames exceeds {@link DicomLimits#maxFrames()}. */
  TOO_MANY_FRAMES,
  /** Frames × Rows × Columns float values exceed {@link DicomLimits#maxDecodedBytes()}. */
  DECODED_DATA_TOO_LARGE,
  /**
   * The deflated data set is not a valid deflate stream, or RLE / JPEG pixel data cannot be
   * decoded.
   */
  CORRUPT_COMPRESSED_DATA,
  /**
   * The deflated data set inflates to more than {@link DicomLimits#maxInputBytes()}; inflating
   * stops at the first surplus byte.
   */
  DECOMPRESSION_BOMB,
  /**
   * An attribute the reader needs is absent: Transfer Syntax UID in the meta group, or Rows,
   * Columns, Bits Allocated, Photometric Interpretation or Pixel Data for an image.
   */
  MISSING_ATTRIBUTE,
  /**
   * An attribute's value is malformed or out of range: not a number, zero rows, Bits Stored above
   * Bits Allocated, a per-frame functional group count other than Number of Frames, and so on.
   */
  INVALID_ATTRIBUTE,
  /** The file has no Pixel Data (7FE0,0010): a structured report, a presentation state, ... */
  NO_PIXEL_DATA,
  /** Float or Double Float Pixel Data (7FE0,0008 / 7FE0,0009): parametric maps, not MR images. */
  FLOAT_PIXEL_DATA_UNSUPPORTED,
  /** Bits Allocated is not 8 or 16 (1-bit segmentations, 32-bit images). */
  UNSUPPORTED_BITS_ALLOCATED,
  /** Samples per Pixel is not 1 (colour images). */
  UNSUPPORTED_SAMPLES_PER_PIXEL,
  /** Photometric Interpretation is not MONOCHROME1 or MONOCHROME2 (RGB, YBR, PALETTE COLOR...). */
  UNSUPPORTED_PHOTOMETRIC_INTERPRETATION,
  /** A transfer syntax UID that is not in the standard (nor retired): its encoding is unknown. */
  UNKNOWN_TRANSFER_SYNTAX,
  /** JPEG Baseline or Extended (lossy, processes 1, 2, 4 and the retired lossy processes). */
  JPEG_LOSSY_UNSUPPORTED,
  /**
   * JPEG Lossless other than process 14 selection value 1 (1.2.840.10008.1.2.4.57 and the retired
   * hierarchical lossless processes).
   */
  JPEG_LOSSLESS_UNSUPPORTED,
  /** JPEG-LS, lossless or near-lossless. */
  JPEG_LS_UNSUPPORTED,
  /** JPEG 2000, lossless or lossy, part 1 or part 2. */
  JPEG_2000_UNSUPPORTED,
  /** High-Throughput JPEG 2000 (HTJ2K), lossless or lossy. */
  HTJ2K_UNSUPPORTED,
  /** JPEG XL. */
  JPEG_XL_UNSUPPORTED,
  /** MPEG-2, MPEG-4 AVC/H.264 or HEVC/H.265 video. */
  VIDEO_UNSUPPORTED,
  /** Deflated Image Frame Compression (1.2.840.10008.1.2.8.1). */
  DEFLATED_IMAGE_FRAMES_UNSUPPORTED,
  /** JPIP referenced pixel data: the pixels are on a server, not in the file. */
  REFERENCED_PIXEL_DATA_UNSUPPORTED,
  /**
   * A standard transfer syntax spineflow does not decode that no other code covers (encapsulated
   * uncompressed, MIME/XML encodings, SMPTE ST 2110 streams).
   */
  UNSUPPORTED_TRANSFER_SYNTAX,
  /**
   * A Segmentation (1.2.840.10008.5.1.4.1.1.66.4) whose Segmentation Type (0062,0001) is not
   * BINARY: fractional (probability or occupancy) masks are not labels.
   */
  SEGMENTATION_NOT_BINARY,
  /**
   * A segment whose Segmented Property Type Code Sequence (0062,000F) codes an anatomy spineflow
   * does not segment (see {@link SegmentAnatomy}).
   */
  SEGMENT_ANATOMY_UNKNOWN,
  /**
   * A Segmentation frame that does not lie on a slice of the series it references: other rows,
   * columns, pixel spacing or orientation, or a position between or outside the slices.
   */
  SEGMENTATION_GRID_MISMATCH
}
