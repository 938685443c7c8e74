package io.spineflow.imaging.dicom;

import io.spineflow.imaging.dicom.DatasetParser.Syntax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;

/**
 * Reads DICOM Part 10 files (and bare data sets) within {@link DicomLimits}: the file meta group,
 * the data set in any of the four uncompressed transfer syntaxes, and, through {@link
 * #read(byte[])}, the pixels as rescaled float frames. Every rejection is a {@link DicomException}
 * with a stable {@link ReasonCode}; no other exception escapes, whatever the bytes. Immutable and
 * thread-safe.
 */
public final class DicomReader {
  private static final int PREAMBLE_BYTES = 128;
  private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);

  private final DicomLimits limits;

  /** A reader with {@link DicomLimits#DEFAULT}. */
  public DicomReader() {
    this(DicomLimits.DEFAULT);
  }

  public DicomReader(DicomLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public DicomLimits limits() {
    return limits;
  }

  /** Reads a file and decodes its pixels. */
  public DicomImage read(Path file) throws IOException {
    return read(readBounded(file));
  }

  /** Reads a whole stream (not closed) and decodes its pixels. */
  public DicomImage read(InputStream in) throws IOException {
    return read(readBounded(in));
  }

  /** Reads a file held in memory (e.g. a Kafka record value) and decodes its pixels. */
  public DicomImage read(byte[] bytes) throws DicomException {
    return ImageDecoder.decode(readFile(bytes), limits);
  }

  /**
   * Reads the meta group and the data set only, without decoding pixels: this works for every
   * standard transfer syntax, also those whose pixels spineflow refuses.
   */
  public DicomFile readFile(byte[] bytes) throws DicomException {
    if (bytes.length > limits.maxInputBytes()) {
      throw inputTooLarge();
    }
    DatasetParser parser;
    DataSet meta;
    if (bytes.length >= PREAMBLE_BYTES + 4 && hasDicmPrefix(bytes)) {
      parser = new DatasetParser(bytes, PREAMBLE_BYTES + 4, limits);
      meta = parser.parseTopLevel(Syntax.EXPLICIT_LE, true);
    } else {
      parser = new DatasetParser(bytes, 0, limits);
      int group = parser.peekTagLittleEndian() >>> 16;
      if (group != 0x0002 && group != 0x0008) {
        throw new DicomException(
            ReasonCode.NOT_DICOM,
            null,
            "not DICOM: no 'DICM' after a 128-byte preamble, and the first bytes are neither a"
                + " file meta group (0002) nor a data set (0008)");
      }
      meta = parser.parseTopLevel(Syntax.EXPLICIT_LE, true);
    }
    if (meta.elements().isEmpty()) {
      return readBareDataset(bytes, parser, meta);
    }
    TransferSyntax syntax = transferSyntax(meta);
    return new DicomFile(meta, syntax, readDataset(bytes, parser, syntax));
  }

  private static boolean hasDicmPrefix(byte[] bytes) {
    for (int i = 0; i < DICM.length; i++) {
      if (bytes[PREAMBLE_BYTES + i] != DICM[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * No meta group: a data set as older tools and some PACS store it. Little endian; explicit VR
   * when the first element's bytes 4-5 spell a VR (an implicit VR length of a short value would
   * have to be two capital letters, over 16 KiB), implicit otherwise.
   */
  private DicomFile readBareDataset(byte[] bytes, DatasetParser parser, DataSet meta)
      throws DicomException {
    int at = parser.position();
    boolean explicit = bytes.length - at >= 6 && VR.of(bytes[at + 4], bytes[at + 5]) != null;
    String uid =
        explicit
            ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN
            : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    DataSet dataset =
        parser.parseTopLevel(explicit ? Syntax.EXPLICIT_LE : Syntax.IMPLICIT_LE, false);
    return new DicomFile(meta, TransferSyntax.of(uid), dataset);
  }

  private static TransferSyntax transferSyntax(DataSet meta) throws DicomException {
    DicomTag tag = DicomTag.TRANSFER_SYNTAX_UID;
    String uid = meta.string(tag);
    if (uid == null) {
      throw new DicomException(
          ReasonCode.MISSING_ATTRIBUTE,
          tag.field(),
          tag.field() + ": absent from the file meta group, so the encoding is unknown");
    }
    TransferSyntax syntax = TransferSyntax.of(uid);
    if (syntax == null) {
      throw new DicomException(
          ReasonCode.UNKNOWN_TRANSFER_SYNTAX,
          tag.field(),
          tag.field() + ": '" + Values.abbreviate(uid) + "' is not a standard transfer syntax");
    }
    return syntax;
  }

  private DataSet readDataset(byte[] bytes, DatasetParser parser, TransferSyntax syntax)
      throws DicomException {
    return switch (syntax.encoding()) {
      case IMPLICIT_LITTLE_ENDIAN -> parser.parseTopLevel(Syntax.IMPLICIT_LE, false);
      case EXPLICIT_LITTLE_ENDIAN -> parser.parseTopLevel(Syntax.EXPLICIT_LE, false);
      case EXPLICIT_BIG_ENDIAN -> parser.parseTopLevel(Syntax.EXPLICIT_BE, false);
      case DEFLATED_EXPLICIT_LITTLE_ENDIAN -> {
        byte[] inflated = DeflatedDataset.inflate(bytes, parser.position(), limits);
        yield new DatasetParser(inflated, 0, limits).parseTopLevel(Syntax.EXPLICIT_LE, false);
      }
    };
  }

  private byte[] readBounded(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > limits.maxInputBytes()) {
        throw inputTooLarge();
      }
    }
    return Files.readAllBytes(file);
  }

  private byte[] readBounded(InputStream in) throws IOException {
    long max = limits.maxInputBytes();
    byte[] bytes = in.readNBytes((int) max);
    if (bytes.length == max && in.read() != -1) {
      throw inputTooLarge();
    }
    return bytes;
  }

  private DicomException inputTooLarge() {
    return new DicomException(
        ReasonCode.INPUT_TOO_LARGE,
        null,
        "input longer than " + limits.maxInputBytes() + " bytes (DicomLimits.maxInputBytes)");
  }

  /** An empty data set, for a file without meta group. */
  static DataSet empty() {
    return new DataSet(Map.of(), false, StandardCharsets.ISO_8859_1);
  }
}
