package io.spineflow.imaging.dicom;

/**
 * Upper bounds the reader enforces before it allocates or inflates anything, so a hostile or broken
 * file fails fast with a {@link DicomException} instead of exhausting memory or the stack.
 *
 * @param maxInputBytes longest input, and longest data set a Deflated Explicit VR Little Endian
 *     file may inflate to; default 1 GiB; at most {@link #MAX_ARRAY_BYTES} (one Java array)
 * @param maxElementBytes longest value of any element but Pixel Data; default 16 MiB (the largest
 *     real ones, private vendor headers and icons, are a few hundred KiB)
 * @param maxDepth deepest sequence nesting; default 16 (Enhanced MR functional groups nest 2-4)
 * @param maxItems sequence items plus pixel data fragments in one file; default 200,000 (an
 *     Enhanced MR of a thousand frames has about ten items per frame)
 * @param maxFrames largest Number of Frames; default 10,000
 * @param maxDecodedBytes largest decoded image, as frames × rows × columns 4-byte floats; default 1
 *     GiB; at most {@link #MAX_ARRAY_BYTES}
 */
public record DicomLimits(
    long maxInputBytes,
    int maxElementBytes,
    int maxDepth,
    int maxItems,
    int maxFrames,
    long maxDecodedBytes) {

  /** The largest Java byte array the JVM reliably allocates. */
  public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  public static final DicomLimits DEFAULT =
      new DicomLimits(1L << 30, 16 << 20, 16, 200_000, 10_000, 1L << 30);

  public DicomLimits {
    if (maxInputBytes < 1
        || maxElementBytes < 1
        || maxDepth < 1
        || maxItems < 1
        || maxFrames < 1
        || maxDecodedBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxInputBytes > MAX_ARRAY_BYTES || maxDecodedBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException(
          "maxInputBytes and maxDecodedBytes must not exceed " + MAX_ARRAY_BYTES);
    }
  }
}
