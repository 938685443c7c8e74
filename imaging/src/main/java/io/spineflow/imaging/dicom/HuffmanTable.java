package io.spineflow.imaging.dicom;

/**
 * A canonical Huffman table of JPEG (ITU-T T.81 annex C), decoded bit by bit as in figure F.16: for
 * each code length, the largest code and where its values start.
 */
final class HuffmanTable {
  /** Supplies the next bit of the entropy-coded data. */
  @FunctionalInterface
  interface BitSource {
    int bit() throws DicomException;
  }

  private final int[] maxCode = new int[18];
  private final int[] valueOffset = new int[17];
  private final int[] values;
  private final JpegLosslessDecoder decoder;

  private HuffmanTable(int[] values, JpegLosslessDecoder decoder) {
    this.values = values;
    this.decoder = decoder;
  }

  /**
   * @param counts counts[l] codes of length l, for l = 1..16
   * @param values the symbols in code order
   */
  static HuffmanTable of(int[] counts, int[] values, JpegLosslessDecoder decoder)
      throws DicomException {
    HuffmanTable t = new HuffmanTable(values, decoder);
    int code = 0;
    int k = 0;
    for (int length = 1; length <= 16; length++) {
      t.valueOffset[length] = k - code;
      code += counts[length];
      k += counts[length];
      t.maxCode[length] = counts[length] == 0 ? -1 : code - 1;
      if (code > 1 << length) {
        throw decoder.corrupt("a Huffman table with more codes of length " + length + " than fit");
      }
      code <<= 1;
    }
    t.maxCode[17] = Integer.MAX_VALUE;
    return t;
  }

  int decode(BitSource bits) throws DicomException {
    int code = bits.bit();
    for (int length = 1; length <= 16; length++) {
      if (code <= maxCode[length]) {
        return values[valueOffset[length] + code];
      }
      code = code << 1 | bits.bit();
    }
    throw decoder.corrupt("a Huffman code longer than 16 bits");
  }
}
