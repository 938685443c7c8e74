package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ImageGeometry;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header semantics: MetaIO's defaults, synonyms and conventions. */
class MetaImageHeaderTest {
  private final MetaImageReader reader = new MetaImageReader();

  @Test
  void transformMatrixListsTheDirectionColumnByColumn() throws Exception {
    // Axis 0 points along +y, axis 1 along -x, axis 2 along +z.
    byte[] file = MhaBuilder.validShortImage().set("TransformMatrix", "0 1 0 -1 0 0 0 0 1").bytes();

    ImageGeometry g = reader.read(file).header().geometry();

    assertThat(g.direction()).containsExactly(0, -1, 0, 1, 0, 0, 0, 0, 1);
    assertThat(g.direction(1, 0)).isEqualTo(1.0); // column 0 = (0, 1, 0)
    assertThat(
            new String(
                MetaImageWriter.toMhaBytes(
                    reader.read(file).image(), MetaImageWriter.Compression.NONE),
                StandardCharsets.ISO_8859_1))
        .contains("TransformMatrix = 0 1 0 -1 0 0 0 0 1\n");
  }

  @Test
  void synonymsAndDefaultsFollowMetaIo() throws Exception {
    byte[] file =
        MhaBuilder.validShortImage()
            .remove("ObjectType")
            .remove("TransformMatrix")
            .remove("Offset")
            .remove("ElementSpacing")
            .set("Position", "1 2 3")
            .set("Origin", "1 2 3") // agreeing synonyms are fine
            .set("Orientation", "1 0 0 0 -1 0 0 0 1")
            .set("ElementSize", "0.5 0.5 2")
            .bytes();

    MetaImageHeader header = reader.read(file).header();

    assertThat(header.objectType()).isNull();
    assertThat(header.geometry().origin()).containsExactly(1, 2, 3);
    assertThat(header.geometry().direction()).containsExactly(1, 0, 0, 0, -1, 0, 0, 0, 1);
    assertThat(header.geometry().spacing()).containsExactly(0.5, 0.5, 2);
    assertThat(header.elementSize()).containsExactly(0.5, 0.5, 2.0);
  }

  @Test
  void elementSpacingWinsOverElementSize() throws Exception {
    byte[] file =
        MhaBuilder.validShortImage()
            .set("ElementSpacing", "1 1 3")
            .set("ElementSize", "1 1 2.5")
            .bytes();

    MetaImageHeader header = reader.read(file).header();

    assertThat(header.geometry().spacing()).containsExactly(1, 1, 3);
    assertThat(header.elementSize()).containsExactly(1.0, 1.0, 2.5);
  }

  @Test
  void missingGeometryDefaultsToUnitSpacingZeroOriginIdentity() throws Exception {
    byte[] file =
        MhaBuilder.validShortImage()
            .remove("TransformMatrix")
            .remove("Offset")
            .remove("ElementSpacing")
            .bytes();

    ImageGeometry g = reader.read(file).header().geometry();

    assertThat(g).isEqualTo(ImageGeometry.of(4, 3, 2));
  }

  @Test
  void keepsOrientationExtrasAndOptionalFields() throws Exception {
    byte[] file =
        MhaBuilder.validShortImage()
            .set("Comment", "from scanner 7")
            .set("AnatomicalOrientation", "RAS")
            .set("CenterOfRotation", "1 2 3")
            .set("Modality", "MET_MOD_MR")
            .set("ElementMin", "-10")
            .set("ElementMax", "13")
            .bytes();

    MetaImageHeader header = reader.read(file).header();

    assertThat(header.anatomicalOrientation()).isEqualTo("RAS");
    assertThat(header.centerOfRotation()).containsExactly(1.0, 2.0, 3.0);
    assertThat(header.elementMin()).isEqualTo(-10.0);
    assertThat(header.elementMax()).isEqualTo(13.0);
    assertThat(header.extraFields())
        .containsExactly(
            Map.entry("Comment", "from scanner 7"), Map.entry("Modality", "MET_MOD_MR"));
    assertThat(header.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(header.compressed()).isFalse();
    assertThat(header.compressedDataSize()).isNull();
  }

  @Test
  void toleratesCrlfColonsBlankLinesIntegralDecimalsAndLowercaseLocal() throws Exception {
    String text =
        "ObjectType: Image\r\n\r\nNDims = 3\r\nDimSize = 4.0 3 2\r\n"
            + "ElementType = MET_SHORT\r\nElementDataFile = local\r\n";
    byte[] head = text.getBytes(StandardCharsets.US_ASCII);
    byte[] voxels = MhaBuilder.littleEndianShorts(24);
    byte[] file = Arrays.copyOf(head, head.length + voxels.length);
    System.arraycopy(voxels, 0, file, head.length, voxels.length);

    MetaImage image = reader.read(file);

    assertThat(image.header().geometry().size()).containsExactly(4, 3, 2);
    assertThat(image.header().dataIsLocal()).isTrue();
    assertThat(image.image().data()).isEqualTo(voxels);
  }

  @Test
  void compressedDataWithoutSizeAndWithTrailingBytesIsReadAsItkDoes() throws Exception {
    byte[] voxels = MhaBuilder.littleEndianShorts(24);
    byte[] zlib = MalformedMetaImageTest.zlib(voxels);
    byte[] padded = Arrays.copyOf(zlib, zlib.length + 16); // junk after the zlib stream

    MetaImage withoutSize =
        reader.read(
            MhaBuilder.validShortImage().set("CompressedData", "True").data(padded).bytes());
    MetaImage withSize =
        reader.read(
            MhaBuilder.validShortImage()
                .set("CompressedData", "True")
                .set("CompressedDataSize", Integer.toString(zlib.length))
                .data(padded)
                .bytes());

    assertThat(withoutSize.image().data()).isEqualTo(voxels);
    assertThat(withSize.image().data()).isEqualTo(voxels);
    assertThat(withSize.header().compressedDataSize()).isEqualTo((long) zlib.length);
  }

  @Test
  void readHeaderDoesNotNeedTheVoxels() throws Exception {
    byte[] headerOnly = MhaBuilder.validShortImage().data(new byte[0]).bytes();

    MetaImageHeader header = reader.readHeader(headerOnly);

    assertThat(header.decodedBytes()).isEqualTo(48);
    assertThat(header.elementDataFile()).isEqualTo("LOCAL");
    assertThat(List.of(header.geometry().size()[0])).containsExactly(4);
  }
}
