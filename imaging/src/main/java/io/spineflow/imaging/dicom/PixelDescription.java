package io.spineflow.imaging.dicom;

/**
 * How the stored pixels of an image are laid out (Image Pixel module), after the reader's checks:
 * one sample per pixel, 8 or 16 bits allocated, 1 ≤ bitsStored ≤ bitsAllocated, bitsStored - 1 ≤
 * highBit < bitsAllocated.
 *
 * @param signed Pixel Representation 1 (two's complement)
 * @param monochrome1 true for MONOCHROME1 (the lowest value is white): the reader keeps the values
 *     as stored, a viewer inverts them
 */
public record PixelDescription(
    int rows,
    int columns,
    int frames,
    int bitsAllocated,
    int bitsStored,
    int highBit,
    boolean signed,
    boolean monochrome1) {

  public int pixelsPerFrame() {
    return rows * columns;
  }

  /** Bytes one stored frame occupies. */
  public long storedFrameBytes() {
    return (long) rows * columns * (bitsAllocated / 8);
  }
}
