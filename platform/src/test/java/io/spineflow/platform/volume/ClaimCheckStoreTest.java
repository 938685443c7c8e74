package io.spineflow.platform.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spineflow.events.ClaimCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A claim check whose URI is not a local file is refused with a reason, whatever its scheme. */
class ClaimCheckStoreTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo:bar",
        "jar:file:/tmp/x.zip!/a.bin",
        "http://example.org/a.bin",
        "file",
        "::not a uri",
        "file://host/share/a.bin"
      })
  void aUriOfAnotherSchemeIsClaimCheckInvalid(String uri) {
    ClaimCheck check = ClaimCheck.newBuilder().setUri(uri).setSha256("00").setSizeBytes(1).build();
    VolumeException e =
        catchThrowableOfType(VolumeException.class, () -> new ClaimCheckStore(dir).get(check));
    assertThat(e.reasonCode()).isEqualTo("CLAIM_CHECK_INVALID");
    assertThat(e.field()).isEqualTo("uri");
  }
}
