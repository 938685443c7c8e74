package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.DicomBuilder.concat;
import static io.spineflow.imaging.dicom.DicomBuilder.element;
import static io.spineflow.imaging.dicom.DicomBuilder.encapsulated;
import static io.spineflow.imaging.dicom.DicomBuilder.image;
import static io.spineflow.imaging.dicom.DicomBuilder.item;
import static io.spineflow.imaging.dicom.DicomBuilder.itemHeader;
import static io.spineflow.imaging.dicom.DicomBuilder.padded;
import static io.spineflow.imaging.dicom.DicomBuilder.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of broken and hostile DICOM files, each derived from one valid image ({@link
 * DicomBuilder#image()}) or a vendored file by a single change, with the {@link ReasonCode} and
 * attribute the reader must report.
 */
class MalformedDicomTest {
  private static final DicomReader READER = new DicomReader();
  private static final String PIXEL_DATA = "PixelData (7FE0,0010)";
  private static final String TRANSFER_SYNTAX = "TransferSyntaxUID (0002,0010)";
  private static final String DEFLATED = "deflated data set";
  private static final int PRIVATE_SQ = 0x00091010;

  /** One corrupted input: run it and expect a rejection. */
  @FunctionalInterface
  interface Attempt {
    void run() throws Exception;
  }

  /**
   * @param field the attribute the exception must name, or null when not tied to one
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
            structure(),
            limits(),
            sequences(),
            attributes(),
            pixels(),
            compressed(),
            syntaxes(),
            segmentations())
        .flatMap(s -> s);
  }

  private static Stream<Case> structure() {
    byte[] mr = DicomFiles.bytes("MR_small.dcm");
    return Stream.of(
        bytes("empty input", ReasonCode.NOT_DICOM, null, "not DICOM", new byte[0]),
        bytes(
            "a PNG",
            ReasonCode.NOT_DICOM,
            null,
            "DICM",
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13}),
        bytes(
            "text",
            ReasonCode.NOT_DICOM,
            null,
            "(0008)",
            "ObjectType = Image\nNDims = 3\n".getBytes(StandardCharsets.US_ASCII)),
        bytes(
            "cut inside the pixel data",
            ReasonCode.TRUNCATED_DATA,
            PIXEL_DATA,
            "declares 24 bytes but only 20 follow",
            Arrays.copyOf(image().build(), image().build().length - 4)),
        bytes(
            "cut inside an element header",
            ReasonCode.TRUNCATED_DATA,
            null,
            "cut off",
            Arrays.copyOf(mr, 138)),
        bytes(
            "a length past the end (0xFFFFFFF0)",
            ReasonCode.TRUNCATED_DATA,
            "(0009,0010)",
            "4294967280 bytes",
            image().append(lengthPastEnd()).build()),
        bytes(
            "an explicit VR that is no VR",
            ReasonCode.MALFORMED_ELEMENT,
            "Modality (0008,0060)",
            "'??' is no VR",
            image()
                .set(
                    DicomTag.MODALITY.tag(),
                    concat(new byte[] {8, 0, 0x60, 0, '?', '?', 2, 0}, padded("MR")))
                .build()),
        bytes(
            "undefined length on an OB element other than Pixel Data",
            ReasonCode.MALFORMED_ELEMENT,
            "(0009,1000)",
            "undefined length on a OB",
            image().append(element(0x00091000, "OB", null)).build()),
        bytes(
            "an item where an element belongs",
            ReasonCode.MALFORMED_ELEMENT,
            "(FFFE,E000)",
            "item or delimiter",
            image().append(itemHeader(DatasetParser.ITEM, 0)).build()),
        bytes(
            "Rows twice",
            ReasonCode.DUPLICATE_ELEMENT,
            "Rows (0028,0010)",
            "twice",
            image().append(element(DicomTag.ROWS.tag(), "US", new byte[] {3, 0})).build()),
        bytes(
            "no transfer syntax in the meta group",
            ReasonCode.MISSING_ATTRIBUTE,
            TRANSFER_SYNTAX,
            "encoding is unknown",
            image().withoutTransferSyntax().build()),
        bytes(
            "a transfer syntax UID nobody defined",
            ReasonCode.UNKNOWN_TRANSFER_SYNTAX,
            TRANSFER_SYNTAX,
            "'1.2.3.4.5'",
            image().transferSyntax("1.2.3.4.5").build()));
  }

  /** (0009,0010) UN declaring 0xFFFFFFF0 bytes, then nothing. */
  private static byte[] lengthPastEnd() {
    return new byte[] {9, 0, 0x10, 0, 'U', 'N', 0, 0, (byte) 0xF0, -1, -1, -1};
  }

  private static Stream<Case> limits() {
    DicomLimits small = new DicomLimits(4096, 64, 3, 10, 4, 1024);
    DicomReader reader = new DicomReader(small);
    byte[] bomb =
        image()
            .transferSyntax(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
            .append(element(0x00091000, "OB", new byte[100_000]))
            .build();
    return Stream.of(
        new Case(
            "input larger than maxInputBytes",
            ReasonCode.INPUT_TOO_LARGE,
            null,
            "4096 bytes (DicomLimits.maxInputBytes)",
            () -> reader.read(image().append(element(0x00091000, "OB", new byte[5000])).build())),
        new Case(
            "stream larger than maxInputBytes",
            ReasonCode.INPUT_TOO_LARGE,
            null,
            "DicomLimits.maxInputBytes",
            () -> reader.read(new ByteArrayInputStream(new byte[5000]))),
        new Case(
            "deflate bomb: 100 kB of zeros from a few hundred bytes",
            ReasonCode.DECOMPRESSION_BOMB,
            DEFLATED,
            "4096 bytes (DicomLimits.maxInputBytes)",
            () -> reader.read(bomb)),
        new Case(
            "an element over maxElementBytes",
            ReasonCode.ELEMENT_TOO_LARGE,
            "(0009,1000)",
            "more than 64 (DicomLimits.maxElementBytes)",
            () -> reader.read(image().append(element(0x00091000, "OB", new byte[100])).build())),
        new Case(
            "sequences nested deeper than maxDepth",
            ReasonCode.NESTING_TOO_DEEP,
            "(0009,1010)",
            "3 (DicomLimits.maxDepth)",
            () -> reader.read(image().append(nested(4)).build())),
        new Case(
            "more items than maxItems",
            ReasonCode.TOO_MANY_ITEMS,
            "(0009,1010)",
            "10 items and fragments in the file (DicomLimits.maxItems)",
            () -> reader.read(image().append(sequence(PRIVATE_SQ, items(11))).build())),
        new Case(
            "more frames than maxFrames",
            ReasonCode.TOO_MANY_FRAMES,
            "NumberOfFrames (0028,0008)",
            "5, more than 4 (DicomLimits.maxFrames)",
            () -> reader.read(image().text(DicomTag.NUMBER_OF_FRAMES, "IS", "5").build())),
        new Case(
            "more decoded bytes than maxDecodedBytes",
            ReasonCode.DECODED_DATA_TOO_LARGE,
            "NumberOfFrames (0028,0008)",
            "more than 1024 (DicomLimits.maxDecodedBytes)",
            () ->
                reader.read(image().us(DicomTag.ROWS, 65535).us(DicomTag.COLUMNS, 65535).build())),
        bytes(
            "a deflated data set that is no deflate stream",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            DEFLATED,
            "not a valid deflate stream",
            corruptDeflate()),
        bytes(
            "a deflated data set cut short",
            ReasonCode.TRUNCATED_DATA,
            DEFLATED,
            "stops after",
            truncatedDeflate()));
  }

  /** A deflated file whose deflate stream starts with an invalid block type (binary 11). */
  private static byte[] corruptDeflate() {
    byte[] out = image().transferSyntax(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).build();
    out[metaLength()] = (byte) 0xFF; // BFINAL 1, BTYPE 11: a reserved block type
    return out;
  }

  private static byte[] truncatedDeflate() {
    byte[] good = image().transferSyntax(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).build();
    return Arrays.copyOf(good, metaLength() + 20);
  }

  /** Preamble, DICM, (0002,0001) and (0002,0010) with the deflated syntax's UID. */
  private static int metaLength() {
    return 128
        + 4
        + 14
        + 8
        + DicomBuilder.uid(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).length;
  }

  /** A private sequence nesting {@code depth} levels of one item each. */
  private static byte[] nested(int depth) {
    byte[] inner = element(DicomTag.MODALITY.tag(), "CS", padded("MR"));
    for (int i = 0; i < depth; i++) {
      inner = sequence(PRIVATE_SQ, item(inner));
    }
    return inner;
  }

  private static byte[][] items(int count) {
    byte[][] items = new byte[count][];
    Arrays.fill(items, item());
    return items;
  }

  private static Stream<Case> sequences() {
    return Stream.of(
        bytes(
            "a sequence holding an element instead of an item",
            ReasonCode.MALFORMED_SEQUENCE,
            "(0009,1010)",
            "item (FFFE,E000) expected",
            image()
                .append(sequence(PRIVATE_SQ, element(DicomTag.MODALITY.tag(), "CS", padded("MR"))))
                .build()),
        bytes(
            "an undefined-length item without its delimiter",
            ReasonCode.TRUNCATED_DATA,
            "(0009,1010)",
            "no item delimiter",
            image()
                .append(
                    concat(
                        element(PRIVATE_SQ, "SQ", null),
                        itemHeader(DatasetParser.ITEM, -1),
                        element(DicomTag.MODALITY.tag(), "CS", padded("MR"))))
                .build()),
        bytes(
            "an item longer than its sequence",
            ReasonCode.TRUNCATED_DATA,
            "(0009,1010)",
            "declares 1000 bytes",
            image()
                .append(element(PRIVATE_SQ, "SQ", itemHeader(DatasetParser.ITEM, 1000)))
                .build()),
        bytes(
            "encapsulated pixel data in a native syntax",
            ReasonCode.MALFORMED_ELEMENT,
            PIXEL_DATA,
            "encapsulated (undefined length) in a native transfer syntax",
            image().set(DicomTag.PIXEL_DATA.tag(), encapsulated(new byte[24])).build()),
        bytes(
            "native pixel data in RLE",
            ReasonCode.MALFORMED_ELEMENT,
            PIXEL_DATA,
            "native (defined length) in an encapsulated",
            image().transferSyntax(TransferSyntax.RLE_LOSSLESS).build()),
        bytes(
            "fragments without a Basic Offset Table item",
            ReasonCode.MALFORMED_SEQUENCE,
            PIXEL_DATA,
            "no Basic Offset Table",
            image()
                .transferSyntax(TransferSyntax.RLE_LOSSLESS)
                .set(
                    DicomTag.PIXEL_DATA.tag(),
                    concat(
                        element(DicomTag.PIXEL_DATA.tag(), "OB", null),
                        itemHeader(DatasetParser.SEQUENCE_DELIMITATION, 0)))
                .build()),
        bytes(
            "three fragments for two frames, no offset table",
            ReasonCode.MALFORMED_SEQUENCE,
            PIXEL_DATA,
            "3 fragments for 2 frames",
            image()
                .transferSyntax(TransferSyntax.RLE_LOSSLESS)
                .text(DicomTag.NUMBER_OF_FRAMES, "IS", "2")
                .set(
                    DicomTag.PIXEL_DATA.tag(),
                    encapsulated(new byte[64], new byte[64], new byte[64]))
                .build()));
  }

  private static Stream<Case> attributes() {
    return Stream.of(
        bytes(
            "no Rows",
            ReasonCode.MISSING_ATTRIBUTE,
            "Rows (0028,0010)",
            "absent",
            image().without(DicomTag.ROWS).build()),
        bytes(
            "no Photometric Interpretation",
            ReasonCode.MISSING_ATTRIBUTE,
            "PhotometricInterpretation (0028,0004)",
            "absent",
            image().without(DicomTag.PHOTOMETRIC_INTERPRETATION).build()),
        bytes(
            "zero Rows",
            ReasonCode.INVALID_ATTRIBUTE,
            "Rows (0028,0010)",
            "0, not in 1..65535",
            image().us(DicomTag.ROWS, 0).build()),
        bytes(
            "Bits Stored above Bits Allocated",
            ReasonCode.INVALID_ATTRIBUTE,
            "BitsStored (0028,0101)",
            "17, not in 1..16",
            image().us(DicomTag.BITS_STORED, 17).build()),
        bytes(
            "High Bit below Bits Stored - 1",
            ReasonCode.INVALID_ATTRIBUTE,
            "HighBit (0028,0102)",
            "not in 11..15",
            image().us(DicomTag.HIGH_BIT, 3).build()),
        bytes(
            "Pixel Representation 2",
            ReasonCode.INVALID_ATTRIBUTE,
            "PixelRepresentation (0028,0103)",
            "2, not in 0..1",
            image().us(DicomTag.PIXEL_REPRESENTATION, 2).build()),
        bytes(
            "Number of Frames that is no integer",
            ReasonCode.INVALID_ATTRIBUTE,
            "NumberOfFrames (0028,0008)",
            "'two' is not an integer string",
            image().text(DicomTag.NUMBER_OF_FRAMES, "IS", "two").build()),
        bytes(
            "zero frames",
            ReasonCode.INVALID_ATTRIBUTE,
            "NumberOfFrames (0028,0008)",
            "0, not a positive number",
            image().text(DicomTag.NUMBER_OF_FRAMES, "IS", "0").build()),
        bytes(
            "a rescale slope of NaN",
            ReasonCode.INVALID_ATTRIBUTE,
            "RescaleSlope (0028,1053)",
            "'NaN' is not a decimal string",
            image().text(DicomTag.RESCALE_SLOPE, "DS", "NaN").build()),
        bytes(
            "a rescale slope whose values leave the float range",
            ReasonCode.INVALID_ATTRIBUTE,
            "RescaleSlope (0028,1053)",
            "leave the float range",
            image().text(DicomTag.RESCALE_SLOPE, "DS", "1e300").build()),
        bytes(
            "an Image Position with two values",
            ReasonCode.INVALID_ATTRIBUTE,
            "ImagePositionPatient (0020,0032)",
            "2 values, not 3",
            image().text(DicomTag.IMAGE_POSITION_PATIENT, "DS", "1\\2").build()),
        bytes(
            "one per-frame functional group item for two frames",
            ReasonCode.INVALID_ATTRIBUTE,
            "PerFrameFunctionalGroupsSequence (5200,9230)",
            "1 items for 2 frames",
            image()
                .text(DicomTag.NUMBER_OF_FRAMES, "IS", "2")
                .set(
                    DicomTag.PIXEL_DATA.tag(),
                    element(DicomTag.PIXEL_DATA.tag(), "OW", new byte[48]))
                .set(
                    DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE.tag(),
                    sequence(DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE.tag(), item()))
                .build()));
  }

  private static Stream<Case> pixels() {
    return Stream.of(
        bytes(
            "no pixel data",
            ReasonCode.NO_PIXEL_DATA,
            PIXEL_DATA,
            "absent",
            image().without(DicomTag.PIXEL_DATA).build()),
        bytes(
            "float pixel data",
            ReasonCode.FLOAT_PIXEL_DATA_UNSUPPORTED,
            "FloatPixelData (7FE0,0008)",
            "parametric maps",
            image()
                .without(DicomTag.PIXEL_DATA)
                .set(
                    DicomTag.FLOAT_PIXEL_DATA.tag(),
                    element(DicomTag.FLOAT_PIXEL_DATA.tag(), "OF", new byte[48]))
                .build()),
        bytes(
            "pixel data shorter than the frames",
            ReasonCode.TRUNCATED_DATA,
            PIXEL_DATA,
            "need 24",
            image()
                .set(
                    DicomTag.PIXEL_DATA.tag(),
                    element(DicomTag.PIXEL_DATA.tag(), "OW", new byte[20]))
                .build()),
        bytes(
            "32 bits allocated",
            ReasonCode.UNSUPPORTED_BITS_ALLOCATED,
            "BitsAllocated (0028,0100)",
            "32, not 8 or 16",
            image().us(DicomTag.BITS_ALLOCATED, 32).build()),
        bytes(
            "RGB: three samples per pixel",
            ReasonCode.UNSUPPORTED_SAMPLES_PER_PIXEL,
            "SamplesPerPixel (0028,0002)",
            "3, not 1",
            image().us(DicomTag.SAMPLES_PER_PIXEL, 3).build()),
        bytes(
            "PALETTE COLOR",
            ReasonCode.UNSUPPORTED_PHOTOMETRIC_INTERPRETATION,
            "PhotometricInterpretation (0028,0004)",
            "'PALETTE COLOR'",
            image().text(DicomTag.PHOTOMETRIC_INTERPRETATION, "CS", "PALETTE COLOR").build()));
  }

  private static Stream<Case> compressed() {
    byte[] header = new byte[64];
    header[0] = 2; // two segments
    header[4] = 64;
    header[8] = 70;
    byte[] shortSegment = concat(header, new byte[] {0, 0, 0, 0, 0, 0, 1, 0, 0});
    return Stream.of(
        bytes(
            "an RLE frame with one segment for 16-bit samples",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "1 segments, Bits Allocated needs 2",
            rle(concat(new byte[] {1, 0, 0, 0, 64}, new byte[59]))),
        bytes(
            "an RLE frame shorter than its header",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "shorter than the 64-byte RLE header",
            rle(new byte[10])),
        bytes(
            "an RLE segment that decodes to too few bytes",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "decodes to",
            rle(shortSegment)),
        bytes(
            "a JPEG Lossless frame without start of image",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "no JPEG start of image",
            jpeg(new byte[] {0, 0, 0, 0})),
        bytes(
            "a baseline JPEG frame in a JPEG Lossless file",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "frame marker FFC0: not lossless",
            jpeg(new byte[] {-1, -40, -1, -64, 0, 2})),
        bytes(
            "a JPEG Lossless frame whose scan uses an undefined Huffman table",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "Huffman table 0, which is not defined",
            jpeg(concat(SOI_SOF3, new byte[] {-1, -38, 0, 8, 1, 1, 0, 1, 0, 0}))),
        bytes(
            "a JPEG Lossless frame whose entropy-coded data runs out",
            ReasonCode.CORRUPT_COMPRESSED_DATA,
            PIXEL_DATA,
            "runs out",
            jpeg(
                concat(
                    SOI_SOF3, ONE_CODE_TABLE, new byte[] {-1, -38, 0, 8, 1, 1, 0, 1, 0, 0, 0}))));
  }

  /** Start of image and a frame header for 3 lines of 4 samples, 12-bit precision. */
  private static final byte[] SOI_SOF3 = {-1, -40, -1, -61, 0, 11, 12, 0, 3, 0, 4, 1, 1, 0x11, 0};

  /** A DC table 0 with one 1-bit code for category 0. */
  private static final byte[] ONE_CODE_TABLE = {
    -1, -60, 0, 20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private static byte[] jpeg(byte[] frame) {
    return image()
        .transferSyntax(TransferSyntax.JPEG_LOSSLESS_SV1)
        .set(DicomTag.PIXEL_DATA.tag(), encapsulated(frame))
        .build();
  }

  private static byte[] rle(byte[] frame) {
    return image()
        .transferSyntax(TransferSyntax.RLE_LOSSLESS)
        .set(DicomTag.PIXEL_DATA.tag(), encapsulated(frame))
        .build();
  }

  /** One case per refusal code of a known transfer syntax: its UID and name in the message. */
  private static Stream<Case> syntaxes() {
    String[] uids = {
      "1.2.840.10008.1.2.4.50",
      "1.2.840.10008.1.2.4.66",
      "1.2.840.10008.1.2.4.80",
      "1.2.840.10008.1.2.4.91",
      "1.2.840.10008.1.2.4.201",
      "1.2.840.10008.1.2.4.112",
      "1.2.840.10008.1.2.4.102",
      "1.2.840.10008.1.2.8.1",
      "1.2.840.10008.1.2.4.95",
      "1.2.840.10008.1.2.1.98"
    };
    return Arrays.stream(uids)
        .map(TransferSyntax::of)
        .map(
            s ->
                bytes(
                    s.name(),
                    s.refusal(),
                    TRANSFER_SYNTAX,
                    s.uid() + " (" + s.name() + ")",
                    image()
                        .transferSyntax(s.uid())
                        .set(DicomTag.PIXEL_DATA.tag(), encapsulated(new byte[8]))
                        .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void rejectsWithReasonAndField(Case c) {
    DicomException e = catchThrowableOfType(DicomException.class, () -> c.attempt.run());

    assertThat(e).as("%s must be rejected", c.name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason);
    assertThat(e.field()).as(e.getMessage()).isEqualTo(c.field);
    if (c.field != null) {
      assertThat(e.getMessage()).contains(c.field);
    }
    assertThat(e.getMessage()).contains(c.mentions);
    assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(DicomReaderContract.MAX_MESSAGE_CHARS);
  }

  @Test
  void corpusCoversEveryReasonCode() {
    List<Case> cases = corpus().toList();
    assertThat(cases.stream().map(Case::reason).distinct())
        .containsExactlyInAnyOrder(ReasonCode.values());
  }

  @Test
  void theBaseImageOfTheCorpusIsValid() throws Exception {
    DicomImage image = READER.read(image().build());
    assertThat(image.pixels()).isEqualTo(new PixelDescription(3, 4, 1, 16, 12, 11, false, false));
    assertThat(image.frames().get(0).values()[11]).isEqualTo(1100f);
    DicomImage deflated =
        READER.read(
            image().transferSyntax(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).build());
    assertThat(deflated.frames().get(0).values()).isEqualTo(image.frames().get(0).values());
  }

  /** The vendored Segmentation of sag_t1 with one value changed (same length). */
  private static Stream<Case> segmentations() {
    return Stream.of(
        new Case(
            "a segmentation of type LABEL",
            ReasonCode.SEGMENTATION_NOT_BINARY,
            "SegmentationType (0062,0001)",
            "'LABEL'; only BINARY",
            () -> readSegmentation(replaced("sag_t1_seg.dcm", "BINARY", "LABEL "))),
        new Case(
            "a segment coded as liver",
            ReasonCode.SEGMENT_ANATOMY_UNKNOWN,
            "SegmentedPropertyTypeCodeSequence (0062,000F)",
            "segment 2 is (10200004, SCT",
            () ->
                SegmentationLabels.map(
                    readSegmentation(replaced("sag_t1_seg.dcm", "84020006", "10200004")),
                    sagittal(8),
                    0.05)),
        new Case(
            "a segmentation beyond the series' slices",
            ReasonCode.SEGMENTATION_GRID_MISMATCH,
            "ImagePositionPatient (0020,0032)",
            "tolerance 0.050 mm",
            () ->
                SegmentationLabels.map(
                    readSegmentation(DicomFiles.bytes("sag_t1_seg.dcm")), sagittal(4), 0.05)));
  }

  private static SegmentationObject readSegmentation(byte[] bytes) throws DicomException {
    return SegmentationObject.read(READER.readFile(bytes), READER.limits());
  }

  /** sag_t1_0001 … sag_t1_000n assembled. */
  private static DicomVolume sagittal(int slices) throws Exception {
    List<MrInstance> instances = new java.util.ArrayList<>();
    for (int n = 1; n <= slices; n++) {
      instances.add(MrInstance.read(READER, DicomFiles.bytes("sag_t1_000" + n + ".dcm")));
    }
    return new SeriesAssembler().assemble(instances);
  }

  /** A vendored file with the only occurrence of {@code from} replaced by {@code to}. */
  private static byte[] replaced(String name, String from, String to) {
    byte[] bytes = DicomFiles.bytes(name);
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + f.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, bytes, i, f.length);
        return bytes;
      }
    }
    throw new IllegalArgumentException(from + " not in " + name);
  }

  private static Case bytes(
      String name, ReasonCode reason, String field, String mentions, byte[] input) {
    return new Case(name, reason, field, mentions, () -> READER.read(input));
  }
}
