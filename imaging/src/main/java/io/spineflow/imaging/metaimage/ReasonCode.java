package io.spineflow.imaging.metaimage;

/**
 * Why a MetaImage was rejected. The constant names are a stable contract: they are published on the
 * dead-letter topic and matched by operators and dashboards, so never rename or reuse one; add new
 * constants instead.
 */
public enum ReasonCode {
  /** No {@code ElementDataFile} line within {@link MetaImageLimits#maxHeaderBytes()} bytes. */
  HEADER_TOO_LARGE,
  /**
   * A header line is not valid UTF-8, or holds a control character other than tab/CR/LF (binary
   * data before {@code ElementDataFile}, or not a MetaImage at all).
   */
  INVALID_HEADER_ENCODING,
  /**
   * A header line has no key before its {@code =} (or {@code :}), or the input is text without a
   * single {@code Key = Value} line. A text line with no separator at all is skipped, as ITK's
   * MetaIO skips it; a line that is not text is {@link #INVALID_HEADER_ENCODING}.
   */
  MALFORMED_HEADER_LINE,
  /**
   * A required field ({@code NDims}, {@code DimSize}, {@code ElementType}, {@code ElementDataFile})
   * is absent.
   */
  MISSING_FIELD,
  /** The same key appears twice in the header. */
  DUPLICATE_FIELD,
  /**
   * Synonyms disagree, e.g. {@code Offset} and {@code Origin}, or {@code BinaryDataByteOrderMSB}
   * and {@code ElementByteOrderMSB}, with different values.
   */
  CONFLICTING_FIELDS,
  /**
   * A field's value is malformed or out of range: not a number, NaN/infinite, wrong number of
   * values, zero or negative size or spacing, singular direction, unknown boolean, and so on.
   */
  INVALID_FIELD,
  /** {@code NDims} is a number other than 2 or 3. */
  UNSUPPORTED_DIMENSIONS,
  /** {@code ElementType} is not one of the twelve scalar {@code MET_*} types spineflow reads. */
  UNSUPPORTED_ELEMENT_TYPE,
  /** {@code ElementNumberOfChannels} is greater than 1 (vector or RGB images). */
  MULTI_CHANNEL_UNSUPPORTED,
  /** {@code BinaryData = False}: voxels written as ASCII text. */
  ASCII_DATA_UNSUPPORTED,
  /** {@code ElementDataFile} is a {@code LIST} or a file-name pattern (one file per slice). */
  UNSUPPORTED_DATA_FILE_FORM,
  /** The product of {@code DimSize} exceeds {@link MetaImageLimits#maxVoxels()}. */
  TOO_MANY_VOXELS,
  /** Voxel count × element size exceeds {@link MetaImageLimits#maxDecodedBytes()}. */
  DECODED_DATA_TOO_LARGE,
  /** A stream given to the reader is longer than {@link MetaImageLimits#maxInputBytes()}. */
  INPUT_TOO_LARGE,
  /**
   * The detached {@code ElementDataFile} is an absolute path, or leaves the header's directory
   * through {@code ..} or a symbolic link.
   */
  DATA_FILE_OUTSIDE_DIRECTORY,
  /** The detached {@code ElementDataFile} does not exist or is not a regular file. */
  DATA_FILE_NOT_FOUND,
  /**
   * The header names a detached data file but was read from bytes with no directory to find it in
   * (no {@link DataFileResolver} given).
   */
  DATA_FILE_UNRESOLVABLE,
  /** Fewer voxel bytes are present than {@code DimSize} × {@code ElementType} declare. */
  TRUNCATED_DATA,
  /** The zlib stream of {@code CompressedData = True} is not valid zlib. */
  CORRUPT_COMPRESSED_DATA,
  /**
   * The zlib stream inflates to more bytes than {@code DimSize} × {@code ElementType} declare;
   * inflating stops at the first surplus byte.
   */
  DECOMPRESSION_BOMB
}
