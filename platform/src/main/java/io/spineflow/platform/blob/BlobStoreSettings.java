package io.spineflow.platform.blob;

import io.spineflow.platform.Setting;
import java.util.List;

/** The blob store's settings (rows of the README's configuration table). */
public final class BlobStoreSettings {
  private BlobStoreSettings() {}

  public static final Setting TYPE =
      new Setting(
          "blobstore.type",
          "SPINEFLOW_BLOBSTORE_TYPE",
          "file",
          "Where claim-checked data is kept: file (a directory: the claim-check directory, a"
              + " shared volume when the services run on several hosts) or s3 (a bucket of an"
              + " S3-compatible object store, blobstore.s3.*; no shared disk needed). Events name"
              + " the data by its SHA-256 (sha256:HEX), valid in either. With s3, model artifacts"
              + " go there too: the trainer publishes each version's files, models announcements"
              + " name them, inference fetches them into its data.dir.");
  public static final Setting MAX_BYTES =
      new Setting(
          "blobstore.max.bytes",
          "SPINEFLOW_BLOBSTORE_MAX_BYTES",
          "1073741824",
          "Largest blob the store writes or reads, in bytes (1 GiB by default); a larger one is"
              + " refused naming this setting.");
  public static final Setting S3_ENDPOINT =
      new Setting(
          "blobstore.s3.endpoint",
          "SPINEFLOW_BLOBSTORE_S3_ENDPOINT",
          "",
          "URL of the S3-compatible server (MinIO, Ceph RGW: http(s)://host:port); empty means"
              + " AWS S3 in blobstore.s3.region.");
  public static final Setting S3_REGION =
      new Setting(
          "blobstore.s3.region",
          "SPINEFLOW_BLOBSTORE_S3_REGION",
          "us-east-1",
          "Region the requests are signed for (most S3-compatible servers accept any).");
  public static final Setting S3_BUCKET =
      new Setting(
          "blobstore.s3.bucket",
          "SPINEFLOW_BLOBSTORE_S3_BUCKET",
          "",
          "Bucket of the blob store (blobstore.type=s3); it must exist.");
  public static final Setting S3_PREFIX =
      new Setting(
          "blobstore.s3.prefix",
          "SPINEFLOW_BLOBSTORE_S3_PREFIX",
          "",
          "Prefix of every object key, e.g. spineflow/ to share a bucket.");
  public static final Setting S3_PATH_STYLE =
      new Setting(
          "blobstore.s3.path.style",
          "SPINEFLOW_BLOBSTORE_S3_PATH_STYLE",
          "true",
          "Path-style requests (http://host/bucket/key), which MinIO, Ceph and S3Proxy expect;"
              + " false for virtual-hosted style (http://bucket.host/key).");
  public static final Setting S3_ACCESS_KEY =
      new Setting(
          "blobstore.s3.access.key",
          "SPINEFLOW_BLOBSTORE_S3_ACCESS_KEY",
          "",
          "Access key id; empty means the AWS SDK's default chain (AWS_ACCESS_KEY_ID, profiles,"
              + " container or instance roles).");
  public static final Setting S3_SECRET_KEY =
      new Setting(
          "blobstore.s3.secret.key",
          "SPINEFLOW_BLOBSTORE_S3_SECRET_KEY",
          "",
          "Secret key of blobstore.s3.access.key: set it in the environment (or use"
              + " blobstore.s3.secret.key.file), not on a command line. Never logged.");
  public static final Setting S3_SECRET_KEY_FILE =
      new Setting(
          "blobstore.s3.secret.key.file",
          "SPINEFLOW_BLOBSTORE_S3_SECRET_KEY_FILE",
          "",
          "A file holding the secret key (a mounted Secret), read at start; trailing whitespace"
              + " is ignored.");

  public static List<Setting> all() {
    return List.of(
        TYPE,
        MAX_BYTES,
        S3_ENDPOINT,
        S3_REGION,
        S3_BUCKET,
        S3_PREFIX,
        S3_PATH_STYLE,
        S3_ACCESS_KEY,
        S3_SECRET_KEY,
        S3_SECRET_KEY_FILE);
  }
}
