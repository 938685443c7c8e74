package io.spineflow.imaging.dicom;

import io.spineflow.imaging.dicom.DicomImage.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link DicomFile}'s Pixel Data into rescaled float frames: checks the Image Pixel module
 * ({@link PixelDescription}), refuses what spineflow does not decode, then takes each frame's
 * stored bytes (native, or decoded from RLE) and converts its samples.
 */
final class ImageDecoder {
  private final DicomFile file;
  private final DataSet data;
  private final DicomLimits limits;

  private ImageDecoder(DicomFile file, DicomLimits limits) {
    this.file = file;
    this.data = file.dataset();
    this.limits = limits;
  }

  static DicomImage decode(DicomFile file, DicomLimits limits) throws DicomException {
    return new ImageDecoder(file, limits).decode();
  }

  private DicomImage decode() throws DicomException {
    refuseSyntax(file.transferSyntax());
    DataElement pixelData = pixelData();
    PixelDescription pixels = describe();
    List<FrameAttributes> attributes = FunctionalGroups.frames(data, pixels.frames());
    List<byte[]> stored =
        StoredFrames.of(file.transferSyntax(), pixelData, pixels, data.bigEndian());
    List<Frame> frames = new ArrayList<>(pixels.frames());
    for (int i = 0; i < pixels.frames(); i++) {
      float[] values = Samples.toFloats(stored.get(i), pixels, attributes.get(i));
      frames.add(new Frame(values, attributes.get(i)));
    }
    return new DicomImage(file, pixels, frames);
  }

  private static void refuseSyntax(TransferSyntax syntax) throws DicomException {
    if (!syntax.decodable()) {
      String field = DicomTag.TRANSFER_SYNTAX_UID.field();
      throw new DicomException(
          syntax.refusal(),
          field,
          field + ": pixels in " + syntax.describe() + " are not decoded by spineflow");
    }
  }

  private DataElement pixelData() throws DicomException {
    for (DicomTag floats :
        new DicomTag[] {DicomTag.FLOAT_PIXEL_DATA, DicomTag.DOUBLE_FLOAT_PIXEL_DATA}) {
      if (data.contains(floats)) {
        throw new DicomException(
            ReasonCode.FLOAT_PIXEL_DATA_UNSUPPORTED,
            floats.field(),
            floats.field() + ": float pixels (parametric maps) are not MR images");
      }
    }
    DataElement pixelData = data.get(DicomTag.PIXEL_DATA);
    if (pixelData == null) {
      String field = DicomTag.PIXEL_DATA.field();
      throw new DicomException(ReasonCode.NO_PIXEL_DATA, field, field + ": absent, not an image");
    }
    return pixelData;
  }

  private PixelDescription describe() throws DicomException {
    long samples = optional(DicomTag.SAMPLES_PER_PIXEL, 1);
    if (samples != 1) {
      throw unsupported(
          ReasonCode.UNSUPPORTED_SAMPLES_PER_PIXEL,
          DicomTag.SAMPLES_PER_PIXEL,
          samples + ", not 1");
    }
    boolean monochrome1 = photometric();
    int rows = (int) inRange(DicomTag.ROWS, required(DicomTag.ROWS), 1, 65535);
    int columns = (int) inRange(DicomTag.COLUMNS, required(DicomTag.COLUMNS), 1, 65535);
    long allocated = required(DicomTag.BITS_ALLOCATED);
    if (allocated != 8 && allocated != 16) {
      throw unsupported(
          ReasonCode.UNSUPPORTED_BITS_ALLOCATED,
          DicomTag.BITS_ALLOCATED,
          allocated + ", not 8 or 16");
    }
    int stored =
        (int)
            inRange(DicomTag.BITS_STORED, optional(DicomTag.BITS_STORED, allocated), 1, allocated);
    int highBit =
        (int)
            inRange(
                DicomTag.HIGH_BIT,
                optional(DicomTag.HIGH_BIT, stored - 1),
                stored - 1,
                allocated - 1);
    long representation =
        inRange(DicomTag.PIXEL_REPRESENTATION, optional(DicomTag.PIXEL_REPRESENTATION, 0), 0, 1);
    int frames = frames();
    long decoded = (long) frames * rows * columns * Float.BYTES;
    if (decoded > limits.maxDecodedBytes()) {
      String field = DicomTag.NUMBER_OF_FRAMES.field();
      throw new DicomException(
          ReasonCode.DECODED_DATA_TOO_LARGE,
          field,
          field
              + " "
              + frames
              + " × Rows "
              + rows
              + " × Columns "
              + columns
              + " floats are "
              + decoded
              + " bytes, more than "
              + limits.maxDecodedBytes()
              + " (DicomLimits.maxDecodedBytes)");
    }
    return new PixelDescription(
        rows, columns, frames, (int) allocated, stored, highBit, representation == 1, monochrome1);
  }

  private boolean photometric() throws DicomException {
    DicomTag tag = DicomTag.PHOTOMETRIC_INTERPRETATION;
    String value = data.string(tag);
    if (value == null) {
      throw missing(tag);
    }
    return switch (value) {
      case "MONOCHROME1" -> true;
      case "MONOCHROME2" -> false;
      default ->
          throw unsupported(
              ReasonCode.UNSUPPORTED_PHOTOMETRIC_INTERPRETATION,
              tag,
              "'" + Values.abbreviate(value) + "', not MONOCHROME1 or MONOCHROME2");
    };
  }

  private int frames() throws DicomException {
    DicomTag tag = DicomTag.NUMBER_OF_FRAMES;
    long frames = optional(tag, 1);
    if (frames < 1) {
      throw Values.invalid(tag, frames + ", not a positive number");
    }
    if (frames > limits.maxFrames()) {
      throw new DicomException(
          ReasonCode.TOO_MANY_FRAMES,
          tag.field(),
          tag.field()
              + ": "
              + frames
              + ", more than "
              + limits.maxFrames()
              + " (DicomLimits.maxFrames)");
    }
    return (int) frames;
  }

  private long required(DicomTag tag) throws DicomException {
    Long value = data.integer(tag);
    if (value == null) {
      throw missing(tag);
    }
    return value;
  }

  private long optional(DicomTag tag, long fallback) throws DicomException {
    Long value = data.integer(tag);
    return value == null ? fallback : value;
  }

  private static long inRange(DicomTag tag, long value, long min, long max) throws DicomException {
    if (value < min || value > max) {
      throw Values.invalid(tag, value + ", not in " + min + ".." + max);
    }
    return value;
  }

  private static DicomException missing(DicomTag tag) {
    return new DicomException(
        ReasonCode.MISSING_ATTRIBUTE, tag.field(), tag.field() + ": absent, the image needs it");
  }

  private static DicomException unsupported(ReasonCode reason, DicomTag tag, String problem) {
    return new DicomException(reason, tag.field(), tag.field() + ": " + problem);
  }
}
