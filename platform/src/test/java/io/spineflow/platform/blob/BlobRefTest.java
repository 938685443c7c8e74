package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlobRefTest {
  private static final String HEX = "ab".repeat(32);

  @Test
  void parsesAndPrintsTheSha256Form() {
    BlobRef ref = BlobRef.parse("sha256:" + HEX);

    assertThat(ref.sha256()).isEqualTo(HEX);
    assertThat(ref).hasToString("sha256:" + HEX);
    assertThat(BlobRef.isRef(ref.toString())).isTrue();
    assertThat(BlobRef.isRef("file:/data/claims/" + HEX + ".bin")).isFalse();
  }

  @Test
  void refusesWhatIsNotALowercaseSha256() {
    for (String bad :
        new String[] {
          "sha256:" + HEX.toUpperCase(java.util.Locale.ROOT),
          "sha256:" + HEX.substring(1),
          "sha256:../../etc/passwd",
          "md5:" + HEX,
          HEX,
          "file:/tmp/x.bin"
        }) {
      assertThatThrownBy(() -> BlobRef.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
