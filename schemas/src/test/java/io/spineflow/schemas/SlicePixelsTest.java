package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SlicePixelsTest {
  @Test
  void pixelsAreFloat32LittleEndianAndRoundTrip() {
    float[] values = {0f, 0.25f, 1f, -0.5f};
    ByteBuffer encoded = SlicePixels.encode(values);
    assertThat(encoded.remaining()).isEqualTo(16);
    assertThat(encoded.duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(4)).isEqualTo(0.25f);
    assertThat(SlicePixels.decode(encoded)).containsExactly(values);
    assertThat(encoded.position()).as("reading leaves the event's buffer alone").isZero();
  }

  @Test
  void bytesCopiesTheRemainingBytes() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3});
    buffer.get();
    assertThat(SlicePixels.bytes(buffer)).containsExactly(2, 3);
    assertThat(buffer.position()).isEqualTo(1);
  }
}
