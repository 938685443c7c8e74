package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Voxels stored most significant byte first are converted to the little-endian image storage. */
class BigEndianReadTest {
  private final MetaImageReader reader = new MetaImageReader();

  @Test
  void readsHandWrittenBigEndianShorts() throws Exception {
    byte[] msb = {
      0x01,
      0x02, // 258
      (byte) 0xFF,
      (byte) 0xFE, // -2
      0x7F,
      (byte) 0xFF, // 32767
      (byte) 0x80,
      0x00 // -32768
    };
    byte[] file = mha(ElementType.SHORT, "4 1", "BinaryDataByteOrderMSB = True", msb);

    MetaImage image = reader.read(file);

    assertThat(image.header().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
    assertThat(image.image().toDoubles()).containsExactly(258, -2, 32767, -32768);
    assertThat(image.image().data())
        .containsExactly(0x02, 0x01, 0xFE, 0xFF, 0xFF, 0x7F, 0x00, 0x80);
  }

  @Test
  void elementByteOrderMsbIsASynonym() throws Exception {
    byte[] msb = {0x00, 0x00, 0x01, 0x00, 0x40, 0x49, 0x0F, (byte) 0xDB, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] file = mha(ElementType.UINT, "2 2", "ElementByteOrderMSB = True", msb);

    Image image = reader.read(file).image();

    assertThat(image.voxel(0)).isEqualTo(256);
    assertThat(image.voxel(1)).isEqualTo(0x40490FDBL);
  }

  @ParameterizedTest
  @EnumSource(ElementType.class)
  void everyTypeInBothByteOrdersAndCompressions(ElementType type) throws Exception {
    double[] values = {0, 1, -1, 100, 42.5, -7, 12345, 3};
    Image expected = Image.fromDoubles(ImageGeometry.of(2, 2, 2), type, values);
    ByteBuffer msb = ByteBuffer.allocate(expected.data().length).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      put(msb, type, expected.buffer(), i);
    }

    Image plain =
        reader.read(mha(type, "2 2 2", "BinaryDataByteOrderMSB = True", msb.array())).image();
    byte[] zlib = MalformedMetaImageTest.zlib(msb.array());
    Image zipped =
        reader
            .read(
                mha(
                    type,
                    "2 2 2",
                    "BinaryDataByteOrderMSB = True\nCompressedData = True\nCompressedDataSize = "
                        + zlib.length,
                    zlib))
            .image();

    assertThat(plain.data()).isEqualTo(expected.data());
    assertThat(zipped.data()).isEqualTo(expected.data());
  }

  private static void put(ByteBuffer msb, ElementType type, ByteBuffer little, int i) {
    int at = i * type.bytes();
    switch (type.bytes()) {
      case 1 -> msb.put(little.get(at));
      case 2 -> msb.putShort(little.getShort(at));
      case 4 -> msb.putInt(little.getInt(at));
      default -> msb.putLong(little.getLong(at));
    }
  }

  /** An .mha of {@code type} with identity geometry of {@code dimSize} and extra header lines. */
  private static byte[] mha(ElementType type, String dimSize, String extraLines, byte[] data) {
    int dims = dimSize.split(" ").length;
    return MhaBuilder.validShortImage()
        .remove("BinaryDataByteOrderMSB")
        .remove("CompressedData")
        .set("NDims", Integer.toString(dims))
        .set("DimSize", dimSize)
        .set("TransformMatrix", dims == 2 ? "1 0 0 1" : "1 0 0 0 1 0 0 0 1")
        .set("Offset", dims == 2 ? "0 0" : "0 0 0")
        .set("ElementSpacing", dims == 2 ? "1 1" : "1 1 1")
        .set("ElementType", type.metaName())
        .insertBeforeDataFile(extraLines + "\n")
        .data(data)
        .bytes();
  }
}
