package io.spineflow.platform.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spineflow.events.ClaimCheck;
import io.spineflow.objectstore.InProcessS3;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.S3BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimCheckStoreTest {
  @TempDir Path dir;

  /** A claim check whose URI is neither a reference nor a local file is refused, whatever it is. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo:bar",
        "jar:file:/tmp/x.zip!/a.bin",
        "http://example.org/a.bin",
        "file",
        "::not a uri",
        "file://host/share/a.bin",
        "sha256:00",
        "sha256:../../etc/passwd"
      })
  void aUriOfAnotherSchemeIsClaimCheckInvalid(String uri) {
    ClaimCheck check = ClaimCheck.newBuilder().setUri(uri).setSha256("00").setSizeBytes(1).build();
    VolumeException e =
        catchThrowableOfType(VolumeException.class, () -> new ClaimCheckStore(dir).get(check));
    assertThat(e.reasonCode()).isEqualTo("CLAIM_CHECK_INVALID");
    assertThat(e.field()).isEqualTo("uri");
  }

  @Test
  void aClaimCheckNamesTheBytesByTheirDigestNotByAPath() {
    byte[] bytes = "voxels".getBytes(StandardCharsets.UTF_8);
    ClaimCheckStore store = new ClaimCheckStore(dir);

    ClaimCheck check = store.put(bytes);

    assertThat(check.getUri())
        .isEqualTo("sha256:" + check.getSha256())
        .doesNotContain(dir.toString());
    assertThat(check.getSizeBytes()).isEqualTo(bytes.length);
    assertThat(store.get(check)).isEqualTo(bytes);
  }

  @Test
  void aClaimCheckOfBeforeTheBlobStoreIsStillReadFromTheDirectory() throws Exception {
    byte[] bytes = "written by an older ingest".getBytes(StandardCharsets.UTF_8);
    String sha = ClaimCheckStore.sha256(bytes);
    Path file = Files.write(dir.resolve(sha + ".bin"), bytes);
    ClaimCheck legacy =
        ClaimCheck.newBuilder()
            .setUri(file.toUri().toString())
            .setSha256(sha)
            .setSizeBytes(bytes.length)
            .build();

    assertThat(new ClaimCheckStore(dir).get(legacy)).isEqualTo(bytes);
  }

  @Test
  void aReferenceThatDisagreesWithTheClaimsSha256IsRefused() {
    ClaimCheckStore store = new ClaimCheckStore(dir);
    ClaimCheck check = store.put("a".getBytes(StandardCharsets.UTF_8));
    ClaimCheck forged =
        ClaimCheck.newBuilder(check)
            .setSha256(ClaimCheckStore.sha256("b".getBytes(StandardCharsets.UTF_8)))
            .build();

    VolumeException e = catchThrowableOfType(VolumeException.class, () -> store.get(forged));
    assertThat(e.reasonCode()).isEqualTo("CLAIM_CHECK_INVALID");
    assertThat(e.field()).isEqualTo("sha256");
  }

  /** Two hosts, no shared directory, one bucket: what one writes the other reads by reference. */
  @Test
  void withTheS3BackendAnotherHostReadsTheClaimWithoutASharedDirectory() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(17).nextBytes(bytes);
    try (InProcessS3 s3 = InProcessS3.start(Files.createDirectories(dir.resolve("server")))) {
      String bucket = s3.createBucket("claims");
      Settings settings =
          new Settings(
              Map.of(
                  "blobstore.type",
                  "s3",
                  "blobstore.s3.endpoint",
                  s3.endpoint(),
                  "blobstore.s3.bucket",
                  bucket,
                  "blobstore.s3.access.key",
                  InProcessS3.ACCESS_KEY),
              Map.of("SPINEFLOW_BLOBSTORE_S3_SECRET_KEY", InProcessS3.SECRET_KEY));
      try (ClaimCheckStore ingestHost = ClaimCheckStore.open(settings, dir.resolve("host-a"));
          ClaimCheckStore preprocessHost = ClaimCheckStore.open(settings, dir.resolve("host-b"))) {
        assertThat(ingestHost.blobs()).isInstanceOf(S3BlobStore.class);

        ClaimCheck check = ingestHost.put(bytes);

        assertThat(preprocessHost.get(check)).isEqualTo(bytes);
        assertThat(dir.resolve("host-b").resolve(check.getSha256() + ".bin")).doesNotExist();
        assertThat(preprocessHost.blobs().delete(BlobRef.parse(check.getUri()))).isTrue();
        VolumeException gone =
            catchThrowableOfType(VolumeException.class, () -> ingestHost.get(check));
        assertThat(gone.field()).isEqualTo("uri");
      }
    }
  }
}
