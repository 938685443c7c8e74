package io.spineflow.platform.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Volume;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.FileBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeMapperTest {
  @TempDir Path dir;

  private static Image image(int n) {
    double[] values = new double[n * n * 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 1000;
    }
    ImageGeometry g =
        new ImageGeometry(
            new int[] {n, n, 2},
            new double[] {0.5, 0.5, 4},
            new double[] {1, 2, 3},
            new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0});
    return Image.fromDoubles(g, ElementType.USHORT, values);
  }

  @Test
  void smallVolumesTravelInlineAndLargeOnesByClaimCheck() {
    VolumeMapper mapper = new VolumeMapper(new ClaimCheckStore(dir), 1000);
    Image small = image(10);
    Image large = image(40);

    Volume inline = mapper.toVolume(small, "RAI");
    Volume claimed = mapper.toVolume(large, null);

    assertThat(inline.getVoxels()).isInstanceOf(InlineVoxels.class);
    assertThat(claimed.getVoxels()).isInstanceOf(ClaimCheck.class);
    assertThat(mapper.toImage(inline).data()).isEqualTo(small.data());
    assertThat(mapper.toImage(inline).geometry()).isEqualTo(small.geometry());
    assertThat(mapper.toImage(claimed).data()).isEqualTo(large.data());
    assertThat(mapper.toImage(claimed).geometry()).isEqualTo(large.geometry());
  }

  @Test
  void aTamperedClaimCheckIsRefused() throws Exception {
    ClaimCheckStore store = new ClaimCheckStore(dir);
    VolumeMapper mapper = new VolumeMapper(store, 10);
    Volume claimed = mapper.toVolume(image(8), null);
    ClaimCheck check = (ClaimCheck) claimed.getVoxels();
    Path file = ((FileBlobStore) store.blobs()).pathOf(BlobRef.parse(check.getUri()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> mapper.toImage(claimed))
        .isInstanceOf(VolumeException.class)
        .hasMessageContaining("sha256")
        .extracting(e -> ((VolumeException) e).reasonCode())
        .isEqualTo("CLAIM_CHECK_INVALID");
  }

  @Test
  void aClaimCheckOutsideTheStoreIsRefused() {
    VolumeMapper mapper = new VolumeMapper(new ClaimCheckStore(dir.resolve("store")), 10);
    Volume claimed =
        Volume.newBuilder(mapper.toVolume(image(8), null))
            .setVoxels(
                ClaimCheck.newBuilder()
                    .setUri(Path.of("/etc/passwd").toUri().toString())
                    .setSha256("00")
                    .setSizeBytes(1)
                    .build())
            .build();

    assertThatThrownBy(() -> mapper.toImage(claimed))
        .isInstanceOf(VolumeException.class)
        .hasMessageContaining("outside the claim-check store");
  }

  @Test
  void anUnknownElementTypeIsRefusedWithItsField() {
    VolumeMapper mapper = new VolumeMapper(new ClaimCheckStore(dir), 1 << 20);
    Volume volume =
        Volume.newBuilder(mapper.toVolume(image(4), null)).setElementType("MET_BOGUS").build();

    assertThatThrownBy(() -> mapper.toImage(volume))
        .isInstanceOf(VolumeException.class)
        .hasMessageStartingWith("elementType:");
  }
}
