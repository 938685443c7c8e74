package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.DicomBuilder.concat;
import static io.spineflow.imaging.dicom.DicomBuilder.element;
import static io.spineflow.imaging.dicom.DicomBuilder.image;
import static io.spineflow.imaging.dicom.DicomBuilder.item;
import static io.spineflow.imaging.dicom.DicomBuilder.itemHeader;
import static io.spineflow.imaging.dicom.DicomBuilder.rleFrame;
import static io.spineflow.imaging.dicom.DicomBuilder.sequence;
import static io.spineflow.imaging.dicom.DicomBuilder.shorts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader does with valid input the reference files do not show. */
class DicomReaderTest {
  private static final DicomReader READER = new DicomReader();

  @Test
  void bitsAboveHighBitAreMaskedAndSignedValuesSignExtended() throws Exception {
    // 12 bits stored in 16: an overlay bit (15) and the sign bit (11) set.
    byte[] pixels = shorts(new short[] {(short) 0x8FFF, 0x0800, 0x07FF, (short) 0xF001});
    byte[] bytes =
        image()
            .us(DicomTag.ROWS, 1)
            .us(DicomTag.PIXEL_REPRESENTATION, 1)
            .set(DicomTag.PIXEL_DATA.tag(), element(DicomTag.PIXEL_DATA.tag(), "OW", pixels))
            .build();

    float[] values = READER.read(bytes).frames().get(0).values();

    assertThat(values).containsExactly(-1, -2048, 2047, 1);
  }

  @Test
  void aHighBitAboveBitsStoredShiftsTheSamples() throws Exception {
    byte[] pixels = shorts(new short[] {(short) 0xFFF0, 0x0010, 0x000F, (short) 0x8000});
    byte[] bytes =
        image()
            .us(DicomTag.ROWS, 1)
            .us(DicomTag.HIGH_BIT, 15)
            .set(DicomTag.PIXEL_DATA.tag(), element(DicomTag.PIXEL_DATA.tag(), "OW", pixels))
            .build();

    assertThat(READER.read(bytes).frames().get(0).values()).containsExactly(4095, 1, 0, 2048);
  }

  @Test
  void rescaleIsAppliedAndMonochrome1Reported() throws Exception {
    byte[] bytes =
        image()
            .text(DicomTag.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME1")
            .text(DicomTag.RESCALE_SLOPE, "DS", "0.5")
            .text(DicomTag.RESCALE_INTERCEPT, "DS", "-10")
            .build();

    DicomImage image = READER.read(bytes);

    assertThat(image.pixels().monochrome1()).isTrue();
    assertThat(image.frames().get(0).values()[11]).isEqualTo(1100 * 0.5f - 10);
  }

  @Test
  void aBareExplicitDataSetIsRecognised() throws Exception {
    DicomImage image = READER.read(image().buildBare());

    assertThat(image.file().meta().elements()).isEmpty();
    assertThat(image.file().transferSyntax().uid())
        .isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(image.frames().get(0).values()[11]).isEqualTo(1100f);
  }

  @Test
  void textIsDecodedInTheSpecificCharacterSet() throws Exception {
    byte[] name = "Müller^Zoë".getBytes(StandardCharsets.UTF_8);
    byte[] bytes =
        image()
            .text(DicomTag.SPECIFIC_CHARACTER_SET, "CS", "ISO_IR 192")
            .set(
                DicomTag.PATIENT_NAME.tag(),
                element(DicomTag.PATIENT_NAME.tag(), "PN", concat(name, new byte[] {' '})))
            .build();

    assertThat(READER.readFile(bytes).dataset().string(DicomTag.PATIENT_NAME))
        .isEqualTo("Müller^Zoë");
  }

  @Test
  void undefinedLengthSequencesAndItemsNest() throws Exception {
    byte[] position =
        element(
            DicomTag.IMAGE_POSITION_PATIENT.tag(),
            "DS",
            "1\\2\\3 ".getBytes(StandardCharsets.US_ASCII));
    byte[] undefinedItem =
        concat(
            itemHeader(DatasetParser.ITEM, -1),
            position,
            itemHeader(DatasetParser.ITEM_DELIMITATION, 0));
    byte[] planePosition =
        concat(
            element(DicomTag.PLANE_POSITION_SEQUENCE.tag(), "SQ", null),
            undefinedItem,
            itemHeader(DatasetParser.SEQUENCE_DELIMITATION, 0));
    int perFrame = DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE.tag();
    byte[] bytes = image().set(perFrame, sequence(perFrame, item(planePosition))).build();

    DicomImage image = READER.read(bytes);

    assertThat(image.frames().get(0).attributes().imagePositionPatient()).containsExactly(1, 2, 3);
  }

  @Test
  void rleFramesSplitOverFragmentsFollowTheBasicOffsetTable() throws Exception {
    short[] first = new short[12];
    short[] second = new short[12];
    for (int i = 0; i < 12; i++) {
      first[i] = (short) i;
      second[i] = (short) (1000 + i);
    }
    byte[] a = rleFrame(first);
    byte[] b = rleFrame(second);
    byte[] a1 = java.util.Arrays.copyOfRange(a, 0, 10);
    byte[] a2 = java.util.Arrays.copyOfRange(a, 10, a.length);
    // Offsets from the first fragment's item tag: frame 2 starts after two items (8-byte headers).
    byte[] table =
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0)
            .putInt(16 + a.length)
            .array();
    byte[] pixelData =
        concat(
            element(DicomTag.PIXEL_DATA.tag(), "OB", null),
            itemHeader(DatasetParser.ITEM, 8),
            table,
            itemHeader(DatasetParser.ITEM, a1.length),
            a1,
            itemHeader(DatasetParser.ITEM, a2.length),
            a2,
            itemHeader(DatasetParser.ITEM, b.length),
            b,
            itemHeader(DatasetParser.SEQUENCE_DELIMITATION, 0));
    byte[] bytes =
        image()
            .transferSyntax(TransferSyntax.RLE_LOSSLESS)
            .text(DicomTag.NUMBER_OF_FRAMES, "IS", "2")
            .set(DicomTag.PIXEL_DATA.tag(), pixelData)
            .build();

    DicomImage image = READER.read(bytes);

    assertThat(image.frames().get(0).values()[11]).isEqualTo(11f);
    assertThat(image.frames().get(1).values()[11]).isEqualTo(1011f);
  }

  @Test
  void readsFromAFileAndAStreamAsFromBytes(@TempDir Path dir) throws Exception {
    byte[] bytes = DicomFiles.bytes("MR_small.dcm");
    Path file = Files.write(dir.resolve("MR_small.dcm"), bytes);
    float[] expected = READER.read(bytes).frames().get(0).values();

    assertThat(READER.read(file).frames().get(0).values()).isEqualTo(expected);
    assertThat(READER.read(new ByteArrayInputStream(bytes)).frames().get(0).values())
        .isEqualTo(expected);
  }

  @Test
  void everyStandardSyntaxIsKnownByName() {
    assertThat(TransferSyntax.of("1.2.840.10008.1.2.4.90").refusal())
        .isEqualTo(ReasonCode.JPEG_2000_UNSUPPORTED);
    assertThat(TransferSyntax.of("1.2.840.10008.1.2.4.70").decodable()).isTrue();
    assertThat(TransferSyntax.of("1.2.840.10008.1.2.4.57").decodable()).isTrue();
    assertThat(TransferSyntax.of("1.2.840.10008.1.2.4.66").refusal())
        .isEqualTo(ReasonCode.JPEG_LOSSLESS_UNSUPPORTED);
    assertThat(TransferSyntax.of("1.2.3")).isNull();
  }

  /**
   * Restart intervals, byte stuffing and the largest difference (category 16), which DCMTK's
   * encoder never writes for these images: a file from {@link JpegLosslessWriter}, which DCMTK's
   * {@code dcmdjpeg} decodes to the same samples.
   */
  @Test
  void jpegLosslessRestartIntervalsAndStuffedBytes() throws Exception {
    int rows = 6;
    int columns = 5;
    int[] samples = new int[rows * columns];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (i * 7919) % 65536; // large jumps: every category, 0xFF bytes to stuff
    }
    samples[7] = 0;
    samples[8] = 32768; // a difference of -32768 (category 16)
    byte[] frame = JpegLosslessWriter.encode(samples, rows, columns, 16, 2);
    byte[] bytes = jpegImage(frame, rows, columns);

    float[] values = READER.read(bytes).frames().get(0).values();

    for (int i = 0; i < samples.length; i++) {
      assertThat(values[i]).as("sample %d", i).isEqualTo((float) samples[i]);
    }
  }

  static byte[] jpegImage(byte[] frame, int rows, int columns) {
    return image()
        .transferSyntax(TransferSyntax.JPEG_LOSSLESS_SV1)
        .us(DicomTag.ROWS, rows)
        .us(DicomTag.COLUMNS, columns)
        .us(DicomTag.BITS_STORED, 16)
        .us(DicomTag.HIGH_BIT, 15)
        .set(DicomTag.PIXEL_DATA.tag(), DicomBuilder.encapsulated(frame))
        .build();
  }
}
