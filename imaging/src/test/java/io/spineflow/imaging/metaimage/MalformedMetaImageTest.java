package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of broken and hostile MetaImages, each derived from one valid 4×3×2 MET_SHORT image by a
 * single change, with the {@link ReasonCode} and header field the reader must report.
 */
class MalformedMetaImageTest {
  private static final MetaImageReader READER = new MetaImageReader();
  private static final MetaImageLimits TINY = new MetaImageLimits(1024, 1000, 1000);
  private static final String LONG_KEY = "K".repeat(1000);
  // The signature and IHDR chunk of a PNG: binary from the first byte.
  private static final byte[] PNG_START = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0
  };

  /** One corrupted input: run it in {@code dir} and expect a rejection. */
  @FunctionalInterface
  interface Attempt {
    void run(Path dir) throws Exception;
  }

  /**
   * @param field the header key the exception must name, or null when not tied to one field
   * @param mentions text the message must also contain (the limit, the expected value, ...)
   */
  record Case(String name, ReasonCode reason, String field, String mentions, Attempt attempt) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        // --- header structure -------------------------------------------------------------
        bytes(
            "header bomb: thousands of lines, no ElementDataFile",
            ReasonCode.HEADER_TOO_LARGE,
            "ElementDataFile",
            "65536 bytes (MetaImageLimits.maxHeaderBytes)",
            valid().remove("ElementDataFile").insertBeforeDataFile(manyLines(5000))),
        bytes(
            "header bomb: one endless line",
            ReasonCode.HEADER_TOO_LARGE,
            "ElementDataFile",
            "MetaImageLimits.maxHeaderBytes",
            valid().insertBeforeDataFile("Comment = " + "x".repeat(70_000) + "\n")),
        new Case(
            "header bomb read from a file",
            ReasonCode.HEADER_TOO_LARGE,
            "ElementDataFile",
            "MetaImageLimits.maxHeaderBytes",
            dir -> {
              Path file = dir.resolve("bomb.mha");
              Files.writeString(file, manyLines(100_000));
              READER.read(file);
            }),
        bytes(
            "header ends without ElementDataFile",
            ReasonCode.MISSING_FIELD,
            "ElementDataFile",
            "required",
            valid().remove("ElementDataFile").data(new byte[0])),
        bytes(
            "NDims missing",
            ReasonCode.MISSING_FIELD,
            "NDims",
            "required",
            valid().remove("NDims")),
        bytes(
            "DimSize missing",
            ReasonCode.MISSING_FIELD,
            "DimSize",
            "required",
            valid().remove("DimSize")),
        bytes(
            "ElementType missing",
            ReasonCode.MISSING_FIELD,
            "ElementType",
            "required",
            valid().remove("ElementType")),
        bytes(
            "keys are case-sensitive: ndims is not NDims",
            ReasonCode.MISSING_FIELD,
            "NDims",
            "required",
            valid().remove("NDims").set("ndims", "3")),
        bytes(
            "DimSize twice",
            ReasonCode.DUPLICATE_FIELD,
            "DimSize",
            "appears twice",
            valid().insertBeforeDataFile("DimSize = 4 3 2\n")),
        bytes(
            "duplicate key of 1000 characters (fuzz finding): named shortened, message stays small",
            ReasonCode.DUPLICATE_FIELD,
            HeaderScanner.abbreviate(LONG_KEY),
            "appears twice (header lines 11 and 12)",
            valid().insertBeforeDataFile(LONG_KEY + " = 1\n" + LONG_KEY + " = 2\n")),
        bytes(
            "header byte that is not UTF-8",
            ReasonCode.INVALID_HEADER_ENCODING,
            "Comment",
            "line 2",
            rawHeader("ObjectType = Image\nComment = caf\u00e9\n", StandardCharsets.ISO_8859_1)),
        bytes(
            "NUL byte inside the header",
            ReasonCode.INVALID_HEADER_ENCODING,
            "Comment",
            "U+0000",
            valid().insertBeforeDataFile("Comment = a\0b\n")),
        bytes(
            "binary file instead of a MetaImage (a PNG)",
            ReasonCode.INVALID_HEADER_ENCODING,
            "header line 1",
            "header line 1: not valid UTF-8",
            PNG_START),
        bytes(
            "line with nothing before the separator",
            ReasonCode.MALFORMED_HEADER_LINE,
            null,
            "'Key = Value' expected, got no key",
            valid().insertBeforeDataFile(" = 3\n")),
        bytes(
            "text without a single field (ITK skips lines without '=', then finds nothing)",
            ReasonCode.MALFORMED_HEADER_LINE,
            null,
            "not a MetaImage (header line 1: 'this is not a MetaImage')",
            "this is not a MetaImage\nnor is this\n".getBytes(StandardCharsets.US_ASCII)),
        bytes(
            "a line without '=' that is not text is still refused",
            ReasonCode.INVALID_HEADER_ENCODING,
            "header line 11",
            "U+0001",
            valid().insertBeforeDataFile("binary \u0001 junk\n")),
        bytes(
            "a required field written without '=' is skipped like any such line: then missing",
            ReasonCode.MISSING_FIELD,
            "NDims",
            "required",
            valid().remove("NDims").insertBeforeDataFile("NDims 3\n")),
        bytes(
            "Offset and Origin disagree",
            ReasonCode.CONFLICTING_FIELDS,
            "Origin",
            "Offset",
            valid().set("Origin", "1 2 3")),
        bytes(
            "BinaryDataByteOrderMSB and ElementByteOrderMSB disagree",
            ReasonCode.CONFLICTING_FIELDS,
            "ElementByteOrderMSB",
            "BinaryDataByteOrderMSB",
            valid().set("ElementByteOrderMSB", "True")),
        // --- field values ------------------------------------------------------------------
        bytes(
            "unknown ElementType",
            ReasonCode.UNSUPPORTED_ELEMENT_TYPE,
            "ElementType",
            "MET_FOO",
            valid().set("ElementType", "MET_FOO")),
        bytes(
            "array ElementType",
            ReasonCode.UNSUPPORTED_ELEMENT_TYPE,
            "ElementType",
            "MET_SHORT",
            valid().set("ElementType", "MET_FLOAT_ARRAY")),
        bytes(
            "NDims 4",
            ReasonCode.UNSUPPORTED_DIMENSIONS,
            "NDims",
            "2 or 3 expected, got 4",
            valid().set("NDims", "4").set("DimSize", "4 3 2 1")),
        bytes(
            "NDims 1",
            ReasonCode.UNSUPPORTED_DIMENSIONS,
            "NDims",
            "got 1",
            valid().set("NDims", "1")),
        bytes(
            "NDims 0",
            ReasonCode.UNSUPPORTED_DIMENSIONS,
            "NDims",
            "got 0",
            valid().set("NDims", "0")),
        bytes(
            "NDims not a number",
            ReasonCode.INVALID_FIELD,
            "NDims",
            "not an integer",
            valid().set("NDims", "three")),
        bytes(
            "DimSize zero",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "DimSize[1]: 0 is outside the accepted range [1, 2147483647]",
            valid().set("DimSize", "4 0 2")),
        bytes(
            "DimSize negative",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "-3",
            valid().set("DimSize", "4 -3 2")),
        bytes(
            "DimSize with too few values",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "3 values expected for NDims = 3, got 2",
            valid().set("DimSize", "4 3")),
        bytes(
            "DimSize not numeric",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "'three' is not an integer",
            valid().set("DimSize", "4 three 2")),
        bytes(
            "DimSize fractional",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "not an integer",
            valid().set("DimSize", "4 3.5 2")),
        bytes(
            "DimSize beyond an int",
            ReasonCode.INVALID_FIELD,
            "DimSize",
            "2147483647",
            valid().set("DimSize", "4 99999999999 2")),
        bytes(
            "huge DimSize: too many voxels",
            ReasonCode.TOO_MANY_VOXELS,
            "DimSize",
            "voxel count 4294967296 (65536 x 65536 x 1) exceeds limit 268435456"
                + " (MetaImageLimits.maxVoxels)",
            valid().set("DimSize", "65536 65536 1")),
        bytes(
            "DimSize whose product overflows a long",
            ReasonCode.TOO_MANY_VOXELS,
            "DimSize",
            "MetaImageLimits.maxVoxels",
            valid().set("DimSize", "2147483647 2147483647 2147483647")),
        new Case(
            "decoded size above the limit",
            ReasonCode.DECODED_DATA_TOO_LARGE,
            "DimSize",
            "exceeds limit 1000 (MetaImageLimits.maxDecodedBytes)",
            dir ->
                new MetaImageReader(TINY)
                    .read(
                        valid()
                            .set("DimSize", "10 10 6")
                            .set("ElementType", "MET_DOUBLE")
                            .bytes())),
        bytes(
            "ElementSpacing NaN",
            ReasonCode.INVALID_FIELD,
            "ElementSpacing",
            "'NaN' is not a finite number",
            valid().set("ElementSpacing", "1 NaN 1")),
        bytes(
            "ElementSpacing overflowing to infinity",
            ReasonCode.INVALID_FIELD,
            "ElementSpacing",
            "not finite",
            valid().set("ElementSpacing", "1 1 1e999")),
        bytes(
            "ElementSpacing zero",
            ReasonCode.INVALID_FIELD,
            "ElementSpacing",
            "positive number expected",
            valid().set("ElementSpacing", "1 0 1")),
        bytes(
            "ElementSize negative",
            ReasonCode.INVALID_FIELD,
            "ElementSize",
            "positive number expected",
            valid().remove("ElementSpacing").set("ElementSize", "-1 1 1")),
        bytes(
            "Offset not numeric",
            ReasonCode.INVALID_FIELD,
            "Offset",
            "'abc' is not a finite number",
            valid().set("Offset", "0 abc 0")),
        bytes(
            "Position infinite",
            ReasonCode.INVALID_FIELD,
            "Position",
            "'Infinity' is not a finite number",
            valid().remove("Offset").set("Position", "0 0 Infinity")),
        bytes(
            "TransformMatrix with 8 values",
            ReasonCode.INVALID_FIELD,
            "TransformMatrix",
            "9 values expected for NDims = 3, got 8",
            valid().set("TransformMatrix", "1 0 0 0 1 0 0 0")),
        bytes(
            "TransformMatrix singular",
            ReasonCode.INVALID_FIELD,
            "TransformMatrix",
            "singular",
            valid().set("TransformMatrix", "1 0 0 1 0 0 0 0 1")),
        bytes(
            "Rotation synonym with NaN",
            ReasonCode.INVALID_FIELD,
            "Rotation",
            "not a finite number",
            valid().remove("TransformMatrix").set("Rotation", "1 0 0 0 nan 0 0 0 1")),
        bytes(
            "CenterOfRotation with 2 values",
            ReasonCode.INVALID_FIELD,
            "CenterOfRotation",
            "3 values expected",
            valid().set("CenterOfRotation", "0 0")),
        bytes(
            "two channels",
            ReasonCode.MULTI_CHANNEL_UNSUPPORTED,
            "ElementNumberOfChannels",
            "1 expected",
            valid().set("ElementNumberOfChannels", "2")),
        bytes(
            "zero channels",
            ReasonCode.INVALID_FIELD,
            "ElementNumberOfChannels",
            "outside the accepted range",
            valid().set("ElementNumberOfChannels", "0")),
        bytes(
            "CompressedData neither True nor False",
            ReasonCode.INVALID_FIELD,
            "CompressedData",
            "True or False expected, got 'maybe'",
            valid().set("CompressedData", "maybe")),
        bytes(
            "ASCII voxel data",
            ReasonCode.ASCII_DATA_UNSUPPORTED,
            "BinaryData",
            "True expected",
            valid().set("BinaryData", "False")),
        bytes(
            "ObjectType other than Image",
            ReasonCode.INVALID_FIELD,
            "ObjectType",
            "Image expected, got 'Tube'",
            valid().set("ObjectType", "Tube")),
        bytes(
            "HeaderSize -2",
            ReasonCode.INVALID_FIELD,
            "HeaderSize",
            "[-1, ",
            valid().set("HeaderSize", "-2")),
        bytes(
            "HeaderSize pointing inside the header",
            ReasonCode.INVALID_FIELD,
            "HeaderSize",
            "points inside the header",
            valid().set("HeaderSize", "10")),
        bytes(
            "HeaderSize beyond the end of the file",
            ReasonCode.TRUNCATED_DATA,
            "HeaderSize",
            "skips 100000 bytes",
            valid().set("HeaderSize", "100000")),
        bytes(
            "CompressedDataSize negative",
            ReasonCode.INVALID_FIELD,
            "CompressedDataSize",
            "-5",
            valid().set("CompressedData", "True").set("CompressedDataSize", "-5")),
        bytes(
            "ElementDataFile LIST",
            ReasonCode.UNSUPPORTED_DATA_FILE_FORM,
            "ElementDataFile",
            "LIST",
            valid().set("ElementDataFile", "LIST 2D")),
        bytes(
            "ElementDataFile pattern",
            ReasonCode.UNSUPPORTED_DATA_FILE_FORM,
            "ElementDataFile",
            "slice%03d.raw",
            valid().set("ElementDataFile", "slice%03d.raw 1 2 1")),
        bytes(
            "ElementDataFile empty",
            ReasonCode.INVALID_FIELD,
            "ElementDataFile",
            "empty",
            valid().set("ElementDataFile", "")),
        // --- voxel data --------------------------------------------------------------------
        bytes(
            "inline data truncated",
            ReasonCode.TRUNCATED_DATA,
            "ElementDataFile",
            "40 bytes of voxel data present, DimSize 4 3 2 of MET_SHORT needs 48",
            valid().data(Arrays.copyOf(MhaBuilder.littleEndianShorts(24), 40))),
        bytes(
            "DimSize larger than the data",
            ReasonCode.TRUNCATED_DATA,
            "ElementDataFile",
            "needs 96",
            valid().set("DimSize", "4 3 4")),
        bytes(
            "decompression bomb: 10 MiB of zeros declared as 48 bytes",
            ReasonCode.DECOMPRESSION_BOMB,
            "CompressedData",
            "more than the 48 bytes",
            compressed(valid(), zlib(new byte[10 * 1024 * 1024]), true)),
        bytes(
            "decompression bomb without CompressedDataSize",
            ReasonCode.DECOMPRESSION_BOMB,
            "CompressedData",
            "more than the 48 bytes",
            compressed(valid(), zlib(new byte[1024 * 1024]), false)),
        bytes(
            "corrupt zlib header",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            "CompressedData",
            "not a valid zlib stream",
            compressed(valid(), randomBytes(64), true)),
        bytes(
            "corrupt zlib body",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            "CompressedData",
            "not a valid zlib stream",
            compressed(valid(), corruptBody(zlib(randomBytes(48))), true)),
        bytes(
            "CompressedDataSize larger than the data",
            ReasonCode.TRUNCATED_DATA,
            "CompressedDataSize",
            "declares 5000 bytes but only",
            compressed(valid(), zlib(MhaBuilder.littleEndianShorts(24)), true)
                .set("CompressedDataSize", "5000")),
        bytes(
            "CompressedDataSize cutting the stream short",
            ReasonCode.TRUNCATED_DATA,
            "CompressedDataSize",
            "needs 48",
            compressed(valid(), zlib(randomBytes(48)), true).set("CompressedDataSize", "12")),
        bytes(
            "zlib stream inflating to fewer bytes than declared",
            ReasonCode.TRUNCATED_DATA,
            "CompressedDataSize",
            "zlib stream ends after 20 bytes",
            compressed(valid(), zlib(randomBytes(20)), true)),
        bytes(
            "tiny zlib stream declaring a huge volume (refused before allocating)",
            ReasonCode.TRUNCATED_DATA,
            "CompressedDataSize",
            "at most 1032:1",
            compressed(
                valid().set("DimSize", "1000 1000 100").set("ElementType", "MET_UCHAR"),
                zlib(new byte[16]),
                true)),
        // --- detached data files -------------------------------------------------------------
        detached(
            "absolute data file path",
            ReasonCode.DATA_FILE_OUTSIDE_DIRECTORY,
            "absolute path",
            dir -> dir.resolve("elsewhere/secret.raw").toAbsolutePath().toString()),
        detached(
            "data file climbing out with ..",
            ReasonCode.DATA_FILE_OUTSIDE_DIRECTORY,
            "leaves the header's directory",
            dir -> "../elsewhere/secret.raw"),
        detached(
            "symbolic link leading out of the directory",
            ReasonCode.DATA_FILE_OUTSIDE_DIRECTORY,
            "symbolic link",
            dir -> {
              Files.createSymbolicLink(
                  dir.resolve("study/link.raw"), dir.resolve("elsewhere/secret.raw"));
              return "link.raw";
            }),
        detached(
            "data file missing",
            ReasonCode.DATA_FILE_NOT_FOUND,
            "does not exist",
            dir -> "nothing-here.raw"),
        detached(
            "data file is a directory",
            ReasonCode.DATA_FILE_NOT_FOUND,
            "not a regular file",
            dir -> {
              Files.createDirectory(dir.resolve("study/folder.raw"));
              return "folder.raw";
            }),
        detached(
            "detached data file truncated",
            ReasonCode.TRUNCATED_DATA,
            "needs 48",
            dir -> {
              Files.write(dir.resolve("study/short.raw"), new byte[47]);
              return "short.raw";
            }),
        new Case(
            "long data file name missing behind a resolver that does not check existence",
            ReasonCode.DATA_FILE_NOT_FOUND,
            "ElementDataFile",
            "ElementDataFile: '" + "x".repeat(57) + "...' does not exist",
            dir -> {
              byte[] header =
                  valid()
                      .set("ElementDataFile", "x".repeat(1000))
                      .header()
                      .getBytes(StandardCharsets.UTF_8);
              READER.read(header, name -> dir.resolve("study/absent.raw"));
            }),
        bytes(
            "detached data file named in bytes with no directory",
            ReasonCode.DATA_FILE_UNRESOLVABLE,
            "ElementDataFile",
            "no directory",
            valid().set("ElementDataFile", "image.raw").data(new byte[0])),
        new Case(
            "stream longer than the input limit",
            ReasonCode.INPUT_TOO_LARGE,
            null,
            "MetaImageLimits.maxInputBytes",
            dir ->
                new MetaImageReader(TINY)
                    .read(
                        new ByteArrayInputStream(valid().data(new byte[5000]).bytes()),
                        DataFileResolver.none())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void rejectsWithReasonAndField(Case c, @TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("study"));
    Files.createDirectories(dir.resolve("elsewhere"));
    Files.write(dir.resolve("elsewhere/secret.raw"), MhaBuilder.littleEndianShorts(24));

    MetaImageException e = catchThrowableOfType(MetaImageException.class, () -> c.attempt.run(dir));

    assertThat(e).as("%s must be rejected", c.name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason);
    assertThat(e.field()).isEqualTo(c.field);
    if (c.field != null) {
      assertThat(e.getMessage()).contains(c.field);
    }
    assertThat(e.getMessage()).contains(c.mentions);
    assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(ReaderContract.MAX_MESSAGE_CHARS);
  }

  @Test
  void corpusIsLargeAndCoversEveryReasonCode() {
    List<Case> cases = corpus().toList();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases.stream().map(Case::reason).distinct())
        .containsExactlyInAnyOrder(ReasonCode.values());
  }

  @Test
  void theBaseImageOfTheCorpusIsValid() throws Exception {
    MetaImage image = READER.read(valid().bytes());
    assertThat(image.image().data()).isEqualTo(MhaBuilder.littleEndianShorts(24));
    MetaImage zipped =
        READER.read(compressed(valid(), zlib(MhaBuilder.littleEndianShorts(24)), true).bytes());
    assertThat(zipped.image().data()).isEqualTo(MhaBuilder.littleEndianShorts(24));
  }

  @Test
  void aTextLineWithoutSeparatorIsSkippedAsItkSkipsIt() throws Exception {
    // ITK's MetaIO reads such a line as an unknown key and skips it; so does this reader, before
    // the first field as well as between fields.
    MhaBuilder withNotes =
        valid().insertBeforeDataFile("scanned on the old 1.5T unit\nsee the report\n");
    byte[] bytes = withNotes.bytes();
    byte[] withLeadingNote = new byte[bytes.length + "exported by PACS\n".length()];
    System.arraycopy(
        "exported by PACS\n".getBytes(StandardCharsets.US_ASCII), 0, withLeadingNote, 0, 17);
    System.arraycopy(bytes, 0, withLeadingNote, 17, bytes.length);
    for (byte[] input : List.of(bytes, withLeadingNote)) {
      MetaImage image = READER.read(input);
      assertThat(image.image().data()).isEqualTo(MhaBuilder.littleEndianShorts(24));
    }
  }

  // --- corpus construction ---------------------------------------------------------------------

  private static MhaBuilder valid() {
    return MhaBuilder.validShortImage();
  }

  private static Case bytes(
      String name, ReasonCode reason, String field, String mentions, MhaBuilder input) {
    byte[] bytes = input.bytes();
    return new Case(name, reason, field, mentions, dir -> READER.read(bytes));
  }

  private static Case bytes(
      String name, ReasonCode reason, String field, String mentions, byte[] input) {
    return new Case(name, reason, field, mentions, dir -> READER.read(input));
  }

  @FunctionalInterface
  interface DataFileName {
    String prepare(Path dir) throws Exception;
  }

  /** An .mhd in {@code dir/study} whose ElementDataFile is what {@code name} prepares. */
  private static Case detached(
      String name, ReasonCode reason, String mentions, DataFileName dataFile) {
    return new Case(
        name,
        reason,
        "ElementDataFile",
        mentions,
        dir -> {
          Path header = dir.resolve("study/image.mhd");
          Files.writeString(header, valid().set("ElementDataFile", dataFile.prepare(dir)).header());
          READER.read(header);
        });
  }

  private static byte[] rawHeader(String text, Charset charset) {
    byte[] header = text.getBytes(charset);
    byte[] rest = valid().remove("ObjectType").bytes();
    byte[] all = Arrays.copyOf(header, header.length + rest.length);
    System.arraycopy(rest, 0, all, header.length, rest.length);
    return all;
  }

  private static MhaBuilder compressed(MhaBuilder b, byte[] zlib, boolean declareSize) {
    b.set("CompressedData", "True").data(zlib);
    return declareSize ? b.set("CompressedDataSize", Integer.toString(zlib.length)) : b;
  }

  private static String manyLines(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("Comment").append(i).append(" = padding\n");
    }
    return text.toString();
  }

  static byte[] zlib(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new Random(count).nextBytes(bytes);
    return bytes;
  }

  // Keeps the 2-byte zlib header valid and garbles the deflate blocks behind it.
  private static byte[] corruptBody(byte[] zlib) {
    byte[] bad = zlib.clone();
    for (int i = 2; i < bad.length; i++) {
      bad[i] = (byte) 0xFF;
    }
    return bad;
  }
}
