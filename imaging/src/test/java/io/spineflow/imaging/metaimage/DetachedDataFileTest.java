package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .mhd} headers with their voxels in a separate file. */
class DetachedDataFileTest {
  private final MetaImageReader reader = new MetaImageReader();

  @Test
  void ignoresTrailingBytesOfThePaddedMaskFileAsItkDoes() throws Exception {
    Path dir = ReferenceMetaImageData.directory().resolve("elastix/dox/exampleinput");
    byte[] raw = Files.readAllBytes(dir.resolve("mask_fixed.raw"));
    assertThat(raw).hasSize(65_548); // 256×256 MET_CHAR plus 12 padding bytes

    MetaImage mask = reader.read(dir.resolve("mask_fixed.mhd"));

    assertThat(mask.image().voxelCount()).isEqualTo(65_536);
    assertThat(mask.image().data()).isEqualTo(Arrays.copyOf(raw, 65_536));
    assertThat(ImageReport.of(mask).sum()).isEqualTo(27_363L);
  }

  @Test
  void readsHeaderBytesWithAResolverForTheStudyDirectory() throws Exception {
    Path dir = ReferenceMetaImageData.directory().resolve("elastix/dox/exampleinput");
    byte[] header = Files.readAllBytes(dir.resolve("fixed.mhd"));

    MetaImage fromBytes = reader.read(header, DataFileResolver.confinedTo(dir));

    assertThat(fromBytes.image().data())
        .isEqualTo(reader.read(dir.resolve("fixed.mhd")).image().data());
    assertThatThrownBy(() -> reader.read(header))
        .isInstanceOfSatisfying(
            MetaImageException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.DATA_FILE_UNRESOLVABLE));
  }

  @Test
  void headerSizeSkipsALeadingHeaderInTheDataFile(@TempDir Path dir) throws Exception {
    byte[] voxels = MhaBuilder.littleEndianShorts(24);
    byte[] withPreamble = new byte[100 + voxels.length];
    Arrays.fill(withPreamble, 0, 100, (byte) 0x55);
    System.arraycopy(voxels, 0, withPreamble, 100, voxels.length);
    Files.write(dir.resolve("skip.raw"), withPreamble);
    Files.writeString(
        dir.resolve("skip.mhd"),
        MhaBuilder.validShortImage()
            .set("HeaderSize", "100")
            .set("ElementDataFile", "skip.raw")
            .header());

    assertThat(reader.read(dir.resolve("skip.mhd")).image().data()).isEqualTo(voxels);
  }

  @Test
  void headerSizeMinusOneReadsTheLastBytes(@TempDir Path dir) throws Exception {
    byte[] voxels = MhaBuilder.littleEndianShorts(24);
    byte[] withPreamble = new byte[37 + voxels.length];
    System.arraycopy(voxels, 0, withPreamble, 37, voxels.length);
    Files.write(dir.resolve("tail.raw"), withPreamble);
    Files.writeString(
        dir.resolve("tail.mhd"),
        MhaBuilder.validShortImage()
            .set("HeaderSize", "-1")
            .set("ElementDataFile", "tail.raw")
            .header());

    assertThat(reader.read(dir.resolve("tail.mhd")).image().data()).isEqualTo(voxels);
  }

  @Test
  void dataFileInASubdirectoryAndTextAfterElementDataFileIsIgnored(@TempDir Path dir)
      throws Exception {
    Files.createDirectory(dir.resolve("data"));
    Files.write(dir.resolve("data/voxels.raw"), MhaBuilder.littleEndianShorts(24));
    String header =
        MhaBuilder.validShortImage().set("ElementDataFile", "data/voxels.raw").header()
            + "anything after the last field is not header\n";
    Files.writeString(dir.resolve("sub.mhd"), header);

    MetaImage image = reader.read(dir.resolve("sub.mhd"));

    assertThat(image.image().data()).isEqualTo(MhaBuilder.littleEndianShorts(24));
    assertThat(reader.readHeader(dir.resolve("sub.mhd")).elementDataFile())
        .isEqualTo("data/voxels.raw");
  }
}
