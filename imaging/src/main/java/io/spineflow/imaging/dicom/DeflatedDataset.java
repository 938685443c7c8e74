package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the data set of Deflated Explicit VR Little Endian: raw deflate (RFC 1951, no zlib
 * header) from the end of the file meta group to the end of the file, bounded by {@link
 * DicomLimits#maxInputBytes()} so that a deflate bomb stops at the first surplus byte.
 */
final class DeflatedDataset {
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final String FIELD = "deflated data set";

  private DeflatedDataset() {}

  static byte[] inflate(byte[] bytes, int start, DicomLimits limits) throws DicomException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(bytes, start, bytes.length - start);
      return drain(inflater, limits.maxInputBytes());
    } catch (DataFormatException e) {
      throw new DicomException(
          ReasonCode.CORRUPT_COMPRESSED_DATA,
          FIELD,
          FIELD + ": not a valid deflate stream (" + Values.abbreviate(e.getMessage() + "") + ")",
          e);
    } finally {
      inflater.end();
    }
  }

  private static byte[] drain(Inflater inflater, long max)
      throws DataFormatException, DicomException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[CHUNK_BYTES];
    boolean dummyGiven = false;
    while (!inflater.finished()) {
      int n = inflater.inflate(chunk, 0, (int) Math.min(chunk.length, max + 1 - out.size()));
      if (out.size() + (long) n > max) {
        throw new DicomException(
            ReasonCode.DECOMPRESSION_BOMB,
            FIELD,
            FIELD + ": inflates to more than " + max + " bytes (DicomLimits.maxInputBytes)");
      }
      out.write(chunk, 0, n);
      if (n > 0) {
        continue;
      }
      if (inflater.needsDictionary()) {
        throw new DataFormatException("a preset dictionary is required");
      }
      if (inflater.needsInput()) {
        if (dummyGiven) {
          throw new DicomException(
              ReasonCode.TRUNCATED_DATA,
              FIELD,
              FIELD + ": the deflate stream stops after " + out.size() + " inflated bytes");
        }
        // With nowrap, zlib may need one byte past the stream's end (see Inflater's javadoc).
        inflater.setInput(new byte[1]);
        dummyGiven = true;
      }
    }
    return out.toByteArray();
  }
}
