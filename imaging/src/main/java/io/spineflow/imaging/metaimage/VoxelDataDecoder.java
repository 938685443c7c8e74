package io.spineflow.imaging.metaimage;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the voxel bytes a header declares from a {@link ByteSource}, inflating zlib data and
 * converting big-endian voxels, into the little-endian array an {@link io.spineflow.imaging.Image}
 * owns. Like ITK it reads exactly what {@code DimSize} × {@code ElementType} need and ignores bytes
 * after that (some tools pad data files); unlike ITK it refuses a zlib stream that would inflate
 * further.
 */
final class VoxelDataDecoder {
  // Deflate cannot inflate more than 1032 bytes per input byte (a 258-byte match per 2 bits).
  private static final long MAX_ZLIB_RATIO = 1032;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final String DATA_FILE = HeaderScanner.DATA_FILE_KEY;

  private final MetaImageHeader header;
  private final ByteSource source;
  private final long headerEnd;
  private final int expected;

  /**
   * @param headerEnd where the header ends in {@code source}: the inline data offset for {@code
   *     LOCAL}, 0 for a detached data file
   */
  private VoxelDataDecoder(MetaImageHeader header, ByteSource source, long headerEnd) {
    this.header = header;
    this.source = source;
    this.headerEnd = headerEnd;
    // The header parser has already bounded this by MetaImageLimits.maxDecodedBytes (< 2 GiB).
    this.expected = Math.toIntExact(header.decodedBytes());
  }

  static byte[] decode(MetaImageHeader header, ByteSource source, long headerEnd)
      throws IOException {
    return new VoxelDataDecoder(header, source, headerEnd).decode();
  }

  private byte[] decode() throws IOException {
    long start = dataStart();
    byte[] voxels = header.compressed() ? inflate(start) : copy(start);
    if (header.byteOrder() == ByteOrder.BIG_ENDIAN) {
      ByteOrderSwap.swapInPlace(voxels, header.elementType().bytes());
    }
    return voxels;
  }

  private long dataStart() throws IOException {
    long size = source.size();
    long headerSize = header.headerSize();
    if (headerSize == -1) {
      // The voxels are the last bytes of the file, whatever precedes them.
      if (size - headerEnd < expected) {
        throw truncated(
            "HeaderSize",
            "HeaderSize: -1 (data at the end) but only "
                + (size - headerEnd)
                + " bytes, "
                + need());
      }
      return size - expected;
    }
    if (headerSize == 0) {
      return headerEnd;
    }
    // MetaIO seeks to HeaderSize from the start of the file, also for LOCAL data.
    if (headerSize < headerEnd) {
      throw FieldValues.invalid(
          "HeaderSize",
          "HeaderSize: " + headerSize + " points inside the header, which ends at " + headerEnd);
    }
    if (headerSize > size) {
      throw truncated(
          "HeaderSize", "HeaderSize: skips " + headerSize + " bytes of a " + size + "-byte file");
    }
    return headerSize;
  }

  private byte[] copy(long start) throws IOException {
    long available = source.size() - start;
    if (available < expected) {
      throw truncated(
          DATA_FILE, DATA_FILE + ": " + available + " bytes of voxel data present, " + need());
    }
    byte[] voxels = new byte[expected];
    int filled = 0;
    while (filled < expected) {
      int n = source.read(start + filled, voxels, filled, expected - filled);
      if (n < 0) {
        throw truncated(
            DATA_FILE, DATA_FILE + ": " + filled + " bytes of voxel data present, " + need());
      }
      filled += n;
    }
    return voxels;
  }

  private byte[] inflate(long start) throws IOException {
    long available = source.size() - start;
    Long declared = header.compressedDataSize();
    String field = declared != null ? "CompressedDataSize" : DATA_FILE;
    if (declared != null && declared > available) {
      throw truncated(
          field,
          "CompressedDataSize: declares " + declared + " bytes but only " + available + " follow");
    }
    long compressedLength = declared != null ? declared : available;
    if (compressedLength * MAX_ZLIB_RATIO < expected) {
      // Refuse before allocating: no zlib stream this short can fill the declared volume.
      throw truncated(
          field,
          field
              + ": "
              + compressedLength
              + " compressed bytes cannot inflate to the "
              + expected
              + " bytes that "
              + dimSizeAndType()
              + " needs (zlib inflates at most 1032:1)");
    }
    CompressedInput input = new CompressedInput(source, start, start + compressedLength);
    Inflater inflater = new Inflater();
    try {
      byte[] voxels = new byte[expected];
      int produced = 0;
      while (produced < expected) {
        if (inflater.finished() || inflater.needsDictionary()) {
          throw truncated(
              field, field + ": zlib stream ends after " + produced + " bytes, " + need());
        }
        if (inflater.needsInput() && !input.feed(inflater)) {
          throw truncated(
              field,
              field
                  + ": compressed data runs out after inflating "
                  + produced
                  + " bytes, "
                  + need());
        }
        produced += inflater.inflate(voxels, produced, expected - produced);
      }
      refuseSurplus(inflater, input);
      return voxels;
    } catch (DataFormatException e) {
      throw new MetaImageException(
          ReasonCode.CORRUPT_COMPRESSED_DATA,
          "CompressedData",
          "CompressedData: the voxel data is not a valid zlib stream (" + e.getMessage() + ")",
          e);
    } finally {
      inflater.end();
    }
  }

  // Inflates at most one byte past the declared size: enough to tell a bomb from a stream whose
  // end-of-stream marker and checksum simply follow the last voxel.
  private void refuseSurplus(Inflater inflater, CompressedInput input)
      throws IOException, DataFormatException {
    byte[] probe = new byte[1];
    while (!inflater.finished() && !inflater.needsDictionary()) {
      if (inflater.needsInput() && !input.feed(inflater)) {
        // The stream stops right after the last voxel, without end marker or checksum: every
        // declared voxel is there, so accept it.
        return;
      }
      long before = inflater.getBytesRead();
      if (inflater.inflate(probe) > 0) {
        throw new MetaImageException(
            ReasonCode.DECOMPRESSION_BOMB,
            "CompressedData",
            "CompressedData: the zlib stream inflates to more than the "
                + expected
                + " bytes that "
                + dimSizeAndType()
                + " declares");
      }
      if (inflater.getBytesRead() == before && !inflater.needsInput()) {
        return; // no progress possible
      }
    }
  }

  /** E.g. "DimSize 4 3 2 of MET_SHORT needs 48". */
  private String need() {
    return dimSizeAndType() + " needs " + expected;
  }

  private String dimSizeAndType() {
    StringBuilder text = new StringBuilder("DimSize");
    for (int s : header.geometry().size()) {
      text.append(' ').append(s);
    }
    return text.append(" of ").append(header.elementType().metaName()).toString();
  }

  private static MetaImageException truncated(String field, String message) {
    return new MetaImageException(ReasonCode.TRUNCATED_DATA, field, message);
  }

  /** Feeds an inflater from a bounded region of the source in chunks. */
  private static final class CompressedInput {
    private final ByteSource source;
    private final long end;
    private final byte[] chunk;
    private long position;

    CompressedInput(ByteSource source, long start, long end) {
      this.source = source;
      this.position = start;
      this.end = end;
      this.chunk = new byte[(int) Math.max(1, Math.min(CHUNK_BYTES, end - start))];
    }

    /** Gives the inflater the next chunk; false when the region is exhausted. */
    boolean feed(Inflater inflater) throws IOException {
      if (position >= end) {
        return false;
      }
      int n = source.read(position, chunk, 0, (int) Math.min(chunk.length, end - position));
      if (n <= 0) {
        return false;
      }
      position += n;
      inflater.setInput(chunk, 0, n);
      return true;
    }
  }
}
