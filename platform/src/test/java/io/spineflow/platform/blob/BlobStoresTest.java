package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoresTest {
  @TempDir Path dir;

  @Test
  void theDefaultIsTheFileStoreInTheGivenDirectoryWithA1GibLimit() {
    try (BlobStore store = BlobStores.open(Settings.of(Map.of()), dir)) {
      assertThat(store).isInstanceOf(FileBlobStore.class);
      assertThat(((FileBlobStore) store).directory()).isEqualTo(dir.toAbsolutePath());
      assertThat(store.maxBytes()).isEqualTo(1L << 30);
    }
  }

  @Test
  void anUnknownTypeOrAMissingBucketIsOneLineNamingTheSetting() {
    assertThatThrownBy(() -> BlobStores.open(Settings.of(Map.of("blobstore.type", "nfs")), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("blobstore.type: must be file or s3, got 'nfs'");
    assertThatThrownBy(() -> BlobStores.open(Settings.of(Map.of("blobstore.type", "s3")), dir))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).setting())
        .isEqualTo("blobstore.s3.bucket");
    assertThatThrownBy(
            () ->
                BlobStores.open(
                    Settings.of(Map.of("blobstore.type", "s3", "blobstore.s3.bucket", "b"))
                        .with("blobstore.s3.endpoint", "minio:9000"),
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("blobstore.s3.endpoint: must be an http(s)://host[:port] URL");
    assertThatThrownBy(() -> BlobStores.open(Settings.of(Map.of("blobstore.max.bytes", "0")), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("blobstore.max.bytes:");
  }

  @Test
  void anAccessKeyNeedsItsSecretWhichIsReadFromAFileAndNeverPrinted() throws Exception {
    Settings withKey =
        Settings.of(Map.of("blobstore.s3.bucket", "b", "blobstore.s3.access.key", "AKIDEXAMPLE"));
    assertThatThrownBy(() -> BlobStores.S3Options.from(withKey))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).setting())
        .isEqualTo("blobstore.s3.secret.key");

    Path secretFile = Files.writeString(dir.resolve("secret"), "s3cr3t-from-a-file\n");
    BlobStores.S3Options options =
        BlobStores.S3Options.from(
            withKey.with("blobstore.s3.secret.key.file", secretFile.toString()));
    assertThat(options.secretKey()).isEqualTo("s3cr3t-from-a-file");
    assertThat(options.toString()).doesNotContain("s3cr3t").contains("AKIDEXAMPLE");

    Settings fromEnvironment =
        new Settings(
            Map.of("blobstore.s3.bucket", "b", "blobstore.s3.access.key", "AKIDEXAMPLE"),
            Map.of("SPINEFLOW_BLOBSTORE_S3_SECRET_KEY", "s3cr3t-from-env"));
    assertThat(BlobStores.S3Options.from(fromEnvironment).secretKey()).isEqualTo("s3cr3t-from-env");
    assertThatThrownBy(
            () ->
                BlobStores.S3Options.from(
                    withKey.with("blobstore.s3.secret.key.file", dir.resolve("none").toString())))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).setting())
        .isEqualTo("blobstore.s3.secret.key.file");
  }
}
