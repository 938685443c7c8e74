package io.spineflow.imaging.dicom;

/**
 * Stored samples to values: the Bits Stored bits below High Bit, sign-extended when Pixel
 * Representation is 1 (bits above them may hold overlays or garbage, so they are masked off), then
 * the frame's rescale slope and intercept.
 */
final class Samples {
  private Samples() {}

  /**
   * @param stored little-endian samples of Bits Allocated, one frame
   */
  static float[] toFloats(byte[] stored, PixelDescription p, FrameAttributes frame) {
    int count = p.pixelsPerFrame();
    float[] out = new float[count];
    int shift = p.highBit() + 1 - p.bitsStored();
    int mask = (1 << p.bitsStored()) - 1;
    int signBit = 1 << (p.bitsStored() - 1);
    double slope = frame.rescaleSlope();
    double intercept = frame.rescaleIntercept();
    boolean sixteen = p.bitsAllocated() == 16;
    for (int i = 0; i < count; i++) {
      int raw =
          sixteen ? (stored[2 * i] & 0xFF) | (stored[2 * i + 1] & 0xFF) << 8 : stored[i] & 0xFF;
      int v = (raw >>> shift) & mask;
      if (p.signed() && (v & signBit) != 0) {
        v -= 1 << p.bitsStored();
      }
      out[i] = (float) (v * slope + intercept);
    }
    return out;
  }
}
