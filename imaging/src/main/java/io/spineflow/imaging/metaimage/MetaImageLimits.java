package io.spineflow.imaging.metaimage;

/**
 * Upper bounds the reader enforces before it allocates or inflates anything, so a hostile or broken
 * file fails fast with a {@link MetaImageException} instead of exhausting memory.
 *
 * @param maxHeaderBytes bytes the header may span up to the end of its {@code ElementDataFile}
 *     line; default 64 KiB (real headers are a few hundred bytes)
 * @param maxVoxels largest product of {@code DimSize}; default 256 Mi voxels (a 512×512×1024
 *     volume; lumbar MRI studies are about 4 Mi)
 * @param maxDecodedBytes largest voxel data after decompression; default 1 GiB; at most {@link
 *     #MAX_ARRAY_BYTES} because the voxels live in one Java array
 */
public record MetaImageLimits(int maxHeaderBytes, long maxVoxels, long maxDecodedBytes) {

  /** The largest Java byte array the JVM reliably allocates. */
  public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /** 64 KiB header, 256 Mi voxels, 1 GiB of decoded voxel data. */
  public static final MetaImageLimits DEFAULT =
      new MetaImageLimits(64 * 1024, 256L * 1024 * 1024, 1024L * 1024 * 1024);

  public MetaImageLimits {
    if (maxHeaderBytes < 1 || maxVoxels < 1 || maxDecodedBytes < 1) {
      throw new IllegalArgumentException(
          "limits must be positive, got "
              + maxHeaderBytes
              + ", "
              + maxVoxels
              + ", "
              + maxDecodedBytes);
    }
    if (maxDecodedBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException(
          "maxDecodedBytes " + maxDecodedBytes + " exceeds " + MAX_ARRAY_BYTES);
    }
  }

  /**
   * Longest stream {@link MetaImageReader#read(java.io.InputStream, DataFileResolver)} buffers:
   * header plus data plus zlib's worst-case growth of incompressible data (0.1% + 64 bytes), capped
   * at {@link #MAX_ARRAY_BYTES}. Derived, so there is one knob less to keep consistent.
   */
  public long maxInputBytes() {
    long zlibOverhead = maxDecodedBytes / 1000 + 64;
    return Math.min(MAX_ARRAY_BYTES, maxHeaderBytes + maxDecodedBytes + zlibOverhead);
  }
}
