package io.spineflow.imaging.dicom;

/**
 * Decodes one frame of RLE Lossless (PS3.5 annex G): a 64-byte header of segment count and offsets,
 * then one PackBits segment per byte of a sample, most significant byte first. The output is
 * little-endian samples, as {@link StoredFrames} gives every frame.
 */
final class RleDecoder {
  private static final int HEADER_BYTES = 64;
  private static final int MAX_SEGMENTS = 15;
  private static final String FIELD = DicomTag.PIXEL_DATA.field();

  private RleDecoder() {}

  static byte[] decode(byte[] frame, PixelDescription pixels, int index) throws DicomException {
    int bytesPerSample = pixels.bitsAllocated() / 8;
    int pixelCount = pixels.pixelsPerFrame();
    long[] offsets = header(frame, bytesPerSample, index);
    byte[] out = new byte[pixelCount * bytesPerSample];
    for (int s = 0; s < bytesPerSample; s++) {
      int start = (int) offsets[s];
      int end = s + 1 < bytesPerSample ? (int) offsets[s + 1] : frame.length;
      // Segment 0 holds the most significant bytes, which go last in little endian.
      int lane = bytesPerSample - 1 - s;
      int produced = unpack(frame, start, end, out, lane, bytesPerSample, pixelCount);
      if (produced < pixelCount) {
        throw corrupt(
            index,
            "segment " + (s + 1) + " decodes to " + produced + " of " + pixelCount + " bytes");
      }
    }
    return out;
  }

  private static long[] header(byte[] frame, int segments, int index) throws DicomException {
    if (frame.length < HEADER_BYTES) {
      throw corrupt(index, frame.length + " bytes, shorter than the 64-byte RLE header");
    }
    long count = Values.unsigned(frame, 0, 4, false);
    if (count != segments) {
      throw corrupt(index, count + " segments, Bits Allocated needs " + segments);
    }
    long[] offsets = new long[MAX_SEGMENTS];
    long previous = HEADER_BYTES - 1;
    for (int s = 0; s < segments; s++) {
      offsets[s] = Values.unsigned(frame, 4 + 4 * s, 4, false);
      if (offsets[s] <= previous || offsets[s] > frame.length) {
        throw corrupt(
            index,
            "segment " + (s + 1) + " offset " + offsets[s] + " is out of order or past the end");
      }
      previous = offsets[s];
    }
    return offsets;
  }

  /**
   * PackBits: a header byte n ≥ 0 copies the next n + 1 bytes, -127 ≤ n ≤ -1 repeats the next byte
   * 1 - n times, -128 does nothing. Writes every {@code stride}-th byte of {@code out} from {@code
   * lane}, at most {@code count} of them; bytes a segment decodes beyond that are ignored, as dcmtk
   * ignores them.
   *
   * @return how many bytes were written
   */
  private static int unpack(
      byte[] in, int start, int end, byte[] out, int lane, int stride, int count) {
    int written = 0;
    int i = start;
    while (i < end && written < count) {
      int n = in[i++];
      if (n >= 0) {
        int copy = Math.min(n + 1, Math.min(end - i, count - written));
        for (int k = 0; k < copy; k++) {
          out[lane + stride * written++] = in[i + k];
        }
        i += n + 1;
      } else if (n != -128 && i < end) {
        int repeat = Math.min(1 - n, count - written);
        byte b = in[i++];
        for (int k = 0; k < repeat; k++) {
          out[lane + stride * written++] = b;
        }
      }
    }
    return written;
  }

  private static DicomException corrupt(int index, String problem) {
    return new DicomException(
        ReasonCode.CORRUPT_COMPRESSED_DATA,
        FIELD,
        FIELD + ": RLE frame " + (index + 1) + ": " + problem);
  }
}
