package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;

/**
 * A minimal JPEG Lossless (process 14, predictor 1) encoder for tests, for what DCMTK's {@code
 * dcmcjpeg} cannot be asked to write: restart intervals. One Huffman table gives every difference
 * category 0-16 a 5-bit code. Its output decodes with DCMTK's {@code dcmdjpeg} to the samples it
 * was given (checked when this was written: the file of {@code
 * DicomReaderTest.jpegLosslessRestartIntervalsAndStuffedBytes}, decoded by {@code dcmdjpeg} 3.6.7
 * and read by pydicom, holds exactly its samples; it is also a fuzz seed).
 */
final class JpegLosslessWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int bits;
  private int bitCount;

  private JpegLosslessWriter() {}

  /**
   * @param samples rows × columns unsigned samples of {@code precision} bits
   * @param restartLines lines per restart interval, or 0 for none
   */
  static byte[] encode(int[] samples, int rows, int columns, int precision, int restartLines) {
    JpegLosslessWriter w = new JpegLosslessWriter();
    w.headers(rows, columns, precision, restartLines * columns);
    int marker = 0;
    for (int row = 0; row < rows; row++) {
      boolean first = row == 0 || (restartLines > 0 && row % restartLines == 0);
      if (first && row > 0) {
        w.flushBits();
        w.out.write(0xFF);
        w.out.write(0xD0 + (marker++ & 7));
      }
      for (int x = 0; x < columns; x++) {
        int prediction;
        if (x == 0) {
          prediction = first ? 1 << (precision - 1) : samples[(row - 1) * columns];
        } else {
          prediction = samples[row * columns + x - 1];
        }
        w.difference((samples[row * columns + x] - prediction) & 0xFFFF);
      }
    }
    w.flushBits();
    w.out.write(0xFF);
    w.out.write(0xD9);
    return w.out.toByteArray();
  }

  private void headers(int rows, int columns, int precision, int restartInterval) {
    write(0xFF, 0xD8);
    write(0xFF, 0xC3, 0, 11, precision, rows >> 8, rows, columns >> 8, columns, 1, 1, 0x11, 0);
    // DHT: table 0, 17 codes of length 5 for categories 0..16.
    write(0xFF, 0xC4, 0, 2 + 1 + 16 + 17, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    for (int c = 0; c <= 16; c++) {
      out.write(c);
    }
    if (restartInterval > 0) {
      write(0xFF, 0xDD, 0, 4, restartInterval >> 8, restartInterval);
    }
    write(0xFF, 0xDA, 0, 8, 1, 1, 0, 1, 0, 0);
  }

  /** A difference modulo 2^16: its category's code, then its low bits (T.81 H.1.2.2). */
  private void difference(int modular) {
    int diff = modular >= 32768 ? modular - 65536 : modular;
    int category = diff == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
    if (diff == -32768) {
      category = 16;
    }
    putBits(category, 5);
    if (category > 0 && category < 16) {
      putBits(diff >= 0 ? diff : diff - 1, category);
    }
  }

  private void putBits(int value, int count) {
    for (int i = count - 1; i >= 0; i--) {
      bits = bits << 1 | (value >> i) & 1;
      if (++bitCount == 8) {
        emit(bits & 0xFF);
        bits = 0;
        bitCount = 0;
      }
    }
  }

  /** Pads the last byte with 1 bits, as T.81 F.1.2.3 asks before a marker. */
  private void flushBits() {
    while (bitCount != 0) {
      putBits(1, 1);
    }
  }

  private void emit(int b) {
    out.write(b);
    if (b == 0xFF) {
      out.write(0); // byte stuffing
    }
  }

  private void write(int... bytes) {
    for (int b : bytes) {
      out.write(b & 0xFF);
    }
  }
}
