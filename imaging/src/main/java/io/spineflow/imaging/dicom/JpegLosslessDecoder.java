package io.spineflow.imaging.dicom;

/**
 * Decodes one frame of JPEG Lossless, non-hierarchical, Huffman coded (ITU-T T.81 process 14, annex
 * H): one component, predictors 1 to 7, point transform, restart intervals of whole lines. The
 * output is little-endian samples of Bits Allocated, as {@link StoredFrames} gives every frame.
 * Anything else in the stream (another process, several components, arithmetic coding, a restart
 * interval that splits lines) is refused as {@link ReasonCode#CORRUPT_COMPRESSED_DATA}: a DICOM
 * JPEG Lossless frame never holds it.
 */
final class JpegLosslessDecoder {
  private static final String FIELD = DicomTag.PIXEL_DATA.field();
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOF3 = 0xC3;
  private static final int DHT = 0xC4;
  private static final int SOS = 0xDA;
  private static final int DRI = 0xDD;

  private final byte[] in;
  private final PixelDescription pixels;
  private final int index;
  private final HuffmanTable[] tables = new HuffmanTable[4];
  private int position;
  private int precision;
  private int restartInterval;

  private JpegLosslessDecoder(byte[] in, PixelDescription pixels, int index) {
    this.in = in;
    this.pixels = pixels;
    this.index = index;
  }

  static byte[] decode(byte[] frame, PixelDescription pixels, int index) throws DicomException {
    return new JpegLosslessDecoder(frame, pixels, index).decode();
  }

  private byte[] decode() throws DicomException {
    if (in.length < 2 || (in[0] & 0xFF) != 0xFF || (in[1] & 0xFF) != SOI) {
      throw corrupt("no JPEG start of image (FFD8)");
    }
    position = 2;
    boolean frameHeader = false;
    while (true) {
      int marker = nextMarker();
      switch (marker) {
        case SOF3 -> {
          readFrameHeader(segment());
          frameHeader = true;
        }
        case DHT -> readHuffmanTables(segment());
        case DRI -> readRestartInterval(segment());
        case SOS -> {
          if (!frameHeader) {
            throw corrupt("a scan before the frame header (SOF3)");
          }
          return new Scan(readScanHeader(segment())).decode();
        }
        case EOI -> throw corrupt("the image ends before its scan");
        default -> {
          if (marker >= 0xC0 && marker <= 0xCF) {
            throw corrupt(
                String.format("frame marker FF%02X: not lossless Huffman (SOF3)", marker));
          }
          segment(); // APPn, COM, DQT, ...: skipped
        }
      }
    }
  }

  private int nextMarker() throws DicomException {
    // Fill bytes (FF FF ...) may precede a marker.
    if (position >= in.length || (in[position] & 0xFF) != 0xFF) {
      throw corrupt("a marker expected at byte " + position);
    }
    while (position < in.length && (in[position] & 0xFF) == 0xFF) {
      position++;
    }
    if (position >= in.length) {
      throw corrupt("the stream ends inside a marker");
    }
    return in[position++] & 0xFF;
  }

  /** A marker segment's bounds: [start, end) after its 2-byte length. */
  private record Segment(int start, int end) {}

  private Segment segment() throws DicomException {
    if (in.length - position < 2) {
      throw corrupt("a marker segment is cut off");
    }
    int length = u16(position);
    if (length < 2 || length > in.length - position) {
      throw corrupt("a marker segment of " + length + " bytes at byte " + position);
    }
    Segment s = new Segment(position + 2, position + length);
    position += length;
    return s;
  }

  private void readFrameHeader(Segment s) throws DicomException {
    if (s.end - s.start < 9) {
      throw corrupt("a frame header (SOF3) is cut off");
    }
    precision = in[s.start] & 0xFF;
    int lines = u16(s.start + 1);
    int samples = u16(s.start + 3);
    int components = in[s.start + 5] & 0xFF;
    if (components != 1) {
      throw corrupt(components + " components, Samples per Pixel is 1");
    }
    if (precision < 2 || precision > pixels.bitsAllocated()) {
      throw corrupt(
          "precision " + precision + " for " + pixels.bitsAllocated() + " bits allocated");
    }
    if (lines != pixels.rows() || samples != pixels.columns()) {
      throw corrupt(
          lines
              + " lines of "
              + samples
              + " samples, Rows × Columns is "
              + pixels.rows()
              + " × "
              + pixels.columns());
    }
  }

  private void readHuffmanTables(Segment s) throws DicomException {
    int at = s.start;
    while (at < s.end) {
      if (s.end - at < 17) {
        throw corrupt("a Huffman table (DHT) is cut off");
      }
      int classAndId = in[at] & 0xFF;
      if (classAndId >> 4 != 0 || (classAndId & 0x0F) > 3) {
        throw corrupt(
            String.format("Huffman table class/id %02X: lossless uses DC tables 0-3", classAndId));
      }
      int[] counts = new int[17];
      int total = 0;
      for (int length = 1; length <= 16; length++) {
        counts[length] = in[at + length] & 0xFF;
        total += counts[length];
      }
      at += 17;
      if (total > 256 || s.end - at < total) {
        throw corrupt("a Huffman table (DHT) declares " + total + " codes");
      }
      int[] values = new int[total];
      for (int i = 0; i < total; i++) {
        values[i] = in[at + i] & 0xFF;
      }
      at += total;
      tables[classAndId & 0x0F] = HuffmanTable.of(counts, values, this);
    }
  }

  private void readRestartInterval(Segment s) throws DicomException {
    if (s.end - s.start < 2) {
      throw corrupt("a restart interval (DRI) is cut off");
    }
    restartInterval = u16(s.start);
    if (restartInterval % pixels.columns() != 0) {
      throw corrupt("restart interval " + restartInterval + " is not a whole number of lines");
    }
  }

  /** Checks the scan header; returns {table, predictor, point transform}. */
  private int[] readScanHeader(Segment s) throws DicomException {
    if (s.end - s.start < 6 || (in[s.start] & 0xFF) != 1) {
      throw corrupt("a scan header (SOS) of one component expected");
    }
    int table = (in[s.start + 2] & 0xFF) >> 4;
    int predictor = in[s.start + 3] & 0xFF;
    int pointTransform = in[s.start + 5] & 0x0F;
    if (table > 3 || tables[table] == null) {
      throw corrupt("the scan uses Huffman table " + table + ", which is not defined");
    }
    if (predictor < 1 || predictor > 7) {
      throw corrupt("predictor " + predictor + ": not 1 to 7");
    }
    if (pointTransform >= precision) {
      throw corrupt("point transform " + pointTransform + " for precision " + precision);
    }
    return new int[] {table, predictor, pointTransform};
  }

  private int u16(int at) {
    return (in[at] & 0xFF) << 8 | (in[at + 1] & 0xFF);
  }

  DicomException corrupt(String problem) {
    return new DicomException(
        ReasonCode.CORRUPT_COMPRESSED_DATA,
        FIELD,
        FIELD + ": JPEG Lossless frame " + (index + 1) + ": " + problem);
  }

  /** The entropy-coded data of the one scan, decoded line by line. */
  private final class Scan {
    private final HuffmanTable table;
    private final int predictor;
    private final int pointTransform;
    private final int mask;
    private int bitBuffer;
    private int bitCount;

    Scan(int[] header) {
      this.table = tables[header[0]];
      this.predictor = header[1];
      this.pointTransform = header[2];
      this.mask = (1 << (precision - pointTransform)) - 1;
    }

    byte[] decode() throws DicomException {
      int rows = pixels.rows();
      int columns = pixels.columns();
      int[] previous = new int[columns];
      int[] current = new int[columns];
      int bytesPerSample = pixels.bitsAllocated() / 8;
      byte[] out = new byte[rows * columns * bytesPerSample];
      int linesPerInterval = restartInterval == 0 ? 0 : restartInterval / columns;
      for (int row = 0; row < rows; row++) {
        boolean restart = linesPerInterval > 0 && row > 0 && row % linesPerInterval == 0;
        if (restart) {
          readRestartMarker();
        }
        decodeLine(current, previous, row == 0 || restart);
        for (int col = 0; col < columns; col++) {
          int sample = current[col] << pointTransform;
          int at = (row * columns + col) * bytesPerSample;
          out[at] = (byte) sample;
          if (bytesPerSample == 2) {
            out[at + 1] = (byte) (sample >> 8);
          }
        }
        int[] swap = previous;
        previous = current;
        current = swap;
      }
      return out;
    }

    /** H.1.2.1: the first line (of the image or a restart interval) predicts from the left only. */
    private void decodeLine(int[] line, int[] above, boolean first) throws DicomException {
      for (int x = 0; x < line.length; x++) {
        int prediction;
        if (x == 0) {
          prediction = first ? 1 << (precision - pointTransform - 1) : above[0];
        } else if (first) {
          prediction = line[x - 1];
        } else {
          prediction = predict(line[x - 1], above[x], above[x - 1]);
        }
        line[x] = (prediction + difference()) & mask;
      }
    }

    private int predict(int a, int b, int c) {
      return switch (predictor) {
        case 1 -> a;
        case 2 -> b;
        case 3 -> c;
        case 4 -> a + b - c;
        case 5 -> a + ((b - c) >> 1);
        case 6 -> b + ((a - c) >> 1);
        default -> (a + b) >> 1;
      };
    }

    /** A difference: its magnitude category from the Huffman table, then that many bits. */
    private int difference() throws DicomException {
      int category = table.decode(this::bit);
      if (category == 0) {
        return 0;
      }
      if (category == 16) {
        return 32768; // H.1.2.2: no additional bits
      }
      if (category > 16) {
        throw corrupt("difference category " + category);
      }
      int bits = 0;
      for (int i = 0; i < category; i++) {
        bits = bits << 1 | bit();
      }
      return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }

    int bit() throws DicomException {
      if (bitCount == 0) {
        bitBuffer = nextByte();
        bitCount = 8;
      }
      bitCount--;
      return (bitBuffer >> bitCount) & 1;
    }

    private int nextByte() throws DicomException {
      if (position >= in.length) {
        throw corrupt("the entropy-coded data runs out");
      }
      int b = in[position++] & 0xFF;
      if (b == 0xFF) {
        // FF 00 is a stuffed FF; FF followed by anything else is a marker inside the data.
        if (position >= in.length || in[position] != 0) {
          throw corrupt(
              String.format("a marker inside the entropy-coded data at byte %d", position - 1));
        }
        position++;
      }
      return b;
    }

    private void readRestartMarker() throws DicomException {
      bitCount = 0; // the interval's last byte is padded with 1 bits
      if (in.length - position < 2
          || (in[position] & 0xFF) != 0xFF
          || (in[position + 1] & 0xF8) != 0xD0) {
        throw corrupt("a restart marker (RSTn) expected at byte " + position);
      }
      position += 2;
    }
  }
}
