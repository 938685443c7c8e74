package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metaimage.MetaImageWriter.Compression;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer produces the header ITK writes: same fields, same order, same number format. */
class MetaImageWriterTest {
  private final MetaImageReader reader = new MetaImageReader();

  @Test
  void rewritesAnItkFileWithTheSameHeader() throws Exception {
    Path itkFile =
        ReferenceMetaImageData.directory()
            .resolve("elastix/Testing/Data/3DCT_lung_baseline_small.mha");
    MetaImage original = reader.read(itkFile);

    byte[] ours = MetaImageWriter.toMhaBytes(original.image(), Compression.ZLIB);

    List<String> expected = headerLines(Files.readAllBytes(itkFile));
    List<String> actual = headerLines(ours);
    // Only the compressed size differs: another zlib implementation and level.
    assertThat(withoutCompressedSize(actual)).isEqualTo(withoutCompressedSize(expected));
    assertThat(reader.read(ours).image().data()).isEqualTo(original.image().data());
  }

  @Test
  void writesTheFieldsInItkOrder() {
    ImageGeometry geometry =
        new ImageGeometry(
            new int[] {3, 2, 1},
            new double[] {1.366, 1.0, 2.5},
            new double[] {-153.827, 0.1, -1434.5},
            new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});
    Image image = Image.fromDoubles(geometry, ElementType.USHORT, new double[6]);

    List<String> lines = headerLines(MetaImageWriter.toMhaBytes(image, Compression.NONE));

    assertThat(lines)
        .containsExactly(
            "ObjectType = Image",
            "NDims = 3",
            "BinaryData = True",
            "BinaryDataByteOrderMSB = False",
            "CompressedData = False",
            "TransformMatrix = -1 0 0 0 -1 0 0 0 1",
            "Offset = -153.827 0.1 -1434.5",
            "CenterOfRotation = 0 0 0",
            "AnatomicalOrientation = LPI",
            "ElementSpacing = 1.366 1 2.5",
            "DimSize = 3 2 1",
            "ElementType = MET_USHORT",
            "ElementDataFile = LOCAL");
  }

  @Test
  void twoDimensionalImagesGetAnUnknownOrientation() {
    Image image = Image.fromDoubles(ImageGeometry.of(2, 2), ElementType.FLOAT, new double[4]);

    assertThat(headerLines(MetaImageWriter.toMhaBytes(image, Compression.ZLIB)))
        .contains("AnatomicalOrientation = ??", "CompressedData = True")
        .anyMatch(line -> line.startsWith("CompressedDataSize = "));
  }

  @Test
  void mhdGetsASiblingRawOrZraw(@TempDir Path dir) throws Exception {
    Image image = Image.fromDoubles(ImageGeometry.of(2, 2), ElementType.CHAR, new double[4]);

    MetaImageWriter.write(image, dir.resolve("a.mhd"), Compression.NONE);
    MetaImageWriter.write(image, dir.resolve("b.MHD"), Compression.ZLIB);

    assertThat(Files.readString(dir.resolve("a.mhd"))).endsWith("ElementDataFile = a.raw\n");
    assertThat(Files.readString(dir.resolve("b.MHD"))).endsWith("ElementDataFile = b.zraw\n");
    assertThat(dir.resolve("a.raw")).hasBinaryContent(new byte[4]);
    assertThat(reader.read(dir.resolve("b.MHD")).image().data()).isEqualTo(new byte[4]);
  }

  @Test
  void refusesOtherExtensions(@TempDir Path dir) {
    Image image = Image.fromDoubles(ImageGeometry.of(1, 1), ElementType.CHAR, new double[1]);

    assertThatThrownBy(() -> MetaImageWriter.write(image, dir.resolve("x.nii"), Compression.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".mha or .mhd");
  }

  /** The lines up to and including ElementDataFile. */
  static List<String> headerLines(byte[] file) {
    String text = new String(file, StandardCharsets.ISO_8859_1);
    int end = text.indexOf('\n', text.indexOf("ElementDataFile"));
    return text.substring(0, end).lines().toList();
  }

  private static List<String> withoutCompressedSize(List<String> lines) {
    return lines.stream().filter(line -> !line.startsWith("CompressedDataSize")).toList();
  }
}
