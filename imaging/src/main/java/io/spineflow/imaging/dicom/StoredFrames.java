package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each frame's stored bytes as little-endian samples of Bits Allocated: cut from native Pixel Data
 * (swapped when the file is big endian), or decoded from encapsulated fragments.
 */
final class StoredFrames {
  private static final String FIELD = DicomTag.PIXEL_DATA.field();

  private StoredFrames() {}

  static List<byte[]> of(
      TransferSyntax syntax, DataElement pixelData, PixelDescription pixels, boolean bigEndian)
      throws DicomException {
    return switch (syntax.pixels()) {
      case NATIVE -> nativeFrames(pixelData, pixels, bigEndian);
      case RLE -> encapsulatedFrames(pixelData, pixels, RleDecoder::decode);
      case JPEG_LOSSLESS -> encapsulatedFrames(pixelData, pixels, JpegLosslessDecoder::decode);
        // Refused before: the reader never decodes pixels of these syntaxes.
      case REFUSED ->
          throw new DicomException(
              syntax.refusal() == null ? ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX : syntax.refusal(),
              FIELD,
              FIELD + ": " + syntax.describe() + " is not decoded");
    };
  }

  private static List<byte[]> nativeFrames(
      DataElement pixelData, PixelDescription pixels, boolean bigEndian) throws DicomException {
    if (pixelData.encapsulated() || !pixelData.items().isEmpty()) {
      throw new DicomException(
          ReasonCode.MALFORMED_ELEMENT,
          FIELD,
          FIELD + ": encapsulated (undefined length) in a native transfer syntax");
    }
    byte[] value = pixelData.value();
    long frameBytes = pixels.storedFrameBytes();
    long needed = frameBytes * pixels.frames();
    // Big-endian OW holds 8-bit samples in swapped pairs: the last pair must be whole.
    boolean swapPairs = bigEndian && pixels.bitsAllocated() == 8 && pixelData.vr() == VR.OW;
    long neededWhole = swapPairs ? needed + (needed & 1) : needed;
    if (value.length < neededWhole) {
      throw new DicomException(
          ReasonCode.TRUNCATED_DATA,
          FIELD,
          FIELD + ": " + value.length + " bytes, " + describe(pixels) + " need " + needed);
    }
    byte[] ordered =
        littleEndian(value, (int) neededWhole, pixels.bitsAllocated(), bigEndian, swapPairs);
    List<byte[]> frames = new ArrayList<>(pixels.frames());
    for (int i = 0; i < pixels.frames(); i++) {
      int from = (int) (i * frameBytes);
      frames.add(Arrays.copyOfRange(ordered, from, from + (int) frameBytes));
    }
    return frames;
  }

  private static byte[] littleEndian(
      byte[] value, int length, int bitsAllocated, boolean bigEndian, boolean swapPairs) {
    byte[] out = Arrays.copyOf(value, length);
    if (bigEndian && (bitsAllocated == 16 || swapPairs)) {
      for (int i = 0; i + 1 < length; i += 2) {
        byte b = out[i];
        out[i] = out[i + 1];
        out[i + 1] = b;
      }
    }
    return out;
  }

  /** Decodes one compressed frame (the 0-based {@code index}) into little-endian samples. */
  @FunctionalInterface
  interface FrameDecoder {
    byte[] decode(byte[] frame, PixelDescription pixels, int index) throws DicomException;
  }

  private static List<byte[]> encapsulatedFrames(
      DataElement pixelData, PixelDescription pixels, FrameDecoder decoder) throws DicomException {
    List<byte[]> compressed = FrameFragments.split(pixelData, pixels.frames());
    List<byte[]> frames = new ArrayList<>(compressed.size());
    for (int i = 0; i < compressed.size(); i++) {
      frames.add(decoder.decode(compressed.get(i), pixels, i));
    }
    return frames;
  }

  static String describe(PixelDescription p) {
    return p.frames()
        + " frames of "
        + p.rows()
        + " × "
        + p.columns()
        + " × "
        + p.bitsAllocated()
        + " bits";
  }

  /** Which fragments make which frame of encapsulated Pixel Data. */
  static final class FrameFragments {
    private FrameFragments() {}

    /**
     * One frame per fragment when their counts match; all fragments for a single frame; otherwise
     * the Basic Offset Table's offsets (PS3.5 §A.4).
     */
    static List<byte[]> split(DataElement pixelData, int frames) throws DicomException {
      if (!pixelData.encapsulated()) {
        throw new DicomException(
            ReasonCode.MALFORMED_ELEMENT,
            FIELD,
            FIELD + ": native (defined length) in an encapsulated transfer syntax");
      }
      List<byte[]> all = pixelData.fragments();
      List<byte[]> fragments = all.subList(1, all.size());
      if (fragments.size() == frames) {
        return fragments;
      }
      if (frames == 1) {
        return List.of(concat(fragments, 0, fragments.size()));
      }
      return byOffsetTable(all.get(0), fragments, frames);
    }

    private static List<byte[]> byOffsetTable(byte[] table, List<byte[]> fragments, int frames)
        throws DicomException {
      if (table.length != 4L * frames) {
        throw new DicomException(
            ReasonCode.MALFORMED_SEQUENCE,
            FIELD,
            FIELD
                + ": "
                + fragments.size()
                + " fragments for "
                + frames
                + " frames and no Basic Offset Table to tell them apart");
      }
      // Offsets count from the first fragment's item tag: 8 header bytes per fragment.
      List<Long> starts = new ArrayList<>();
      long at = 0;
      for (byte[] f : fragments) {
        starts.add(at);
        at += 8 + f.length;
      }
      List<byte[]> out = new ArrayList<>(frames);
      int first = 0;
      for (int frame = 0; frame < frames; frame++) {
        long offset = Values.unsigned(table, frame * 4, 4, false);
        long next = frame + 1 < frames ? Values.unsigned(table, frame * 4 + 4, 4, false) : at;
        int from = starts.indexOf(offset);
        int to = next == at ? fragments.size() : starts.indexOf(next);
        if (from != first || to <= from) {
          throw new DicomException(
              ReasonCode.MALFORMED_SEQUENCE,
              FIELD,
              FIELD
                  + ": the Basic Offset Table's offset of frame "
                  + (frame + 1)
                  + " is not the start of the fragment after the previous frame's");
        }
        out.add(concat(fragments, from, to));
        first = to;
      }
      return out;
    }

    private static byte[] concat(List<byte[]> fragments, int from, int to) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = from; i < to; i++) {
        out.writeBytes(fragments.get(i));
      }
      return out.toByteArray();
    }
  }
}
