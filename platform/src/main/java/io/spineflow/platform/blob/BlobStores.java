package io.spineflow.platform.blob;

import static io.spineflow.platform.blob.BlobStoreSettings.MAX_BYTES;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_ACCESS_KEY;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_BUCKET;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_ENDPOINT;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_PATH_STYLE;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_PREFIX;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_REGION;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_SECRET_KEY;
import static io.spineflow.platform.blob.BlobStoreSettings.S3_SECRET_KEY_FILE;
import static io.spineflow.platform.blob.BlobStoreSettings.TYPE;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens the blob store the settings choose. */
public final class BlobStores {
  private BlobStores() {}

  /** What an S3 client needs, from {@code blobstore.s3.*}; {@link #toString} hides the secret. */
  public record S3Options(
      String endpoint,
      String region,
      String bucket,
      String prefix,
      boolean pathStyle,
      String accessKey,
      String secretKey) {

    @Override
    public String toString() {
      return "S3Options[endpoint="
          + endpoint
          + ", region="
          + region
          + ", bucket="
          + bucket
          + ", prefix="
          + prefix
          + ", pathStyle="
          + pathStyle
          + ", accessKey="
          + accessKey
          + ", secretKey="
          + (secretKey.isEmpty() ? "" : "***")
          + "]";
    }

    /** Reads and checks {@code blobstore.s3.*}; a missing or unreadable value names its setting. */
    public static S3Options from(Settings settings) {
      String bucket = settings.string(S3_BUCKET);
      if (bucket.isEmpty()) {
        throw new ConfigException(S3_BUCKET.name(), "must name a bucket when blobstore.type=s3");
      }
      String endpoint = settings.string(S3_ENDPOINT);
      if (!endpoint.isEmpty() && !isHttpUrl(endpoint)) {
        throw new ConfigException(
            S3_ENDPOINT.name(), "must be an http(s)://host[:port] URL, got '" + endpoint + "'");
      }
      String accessKey = settings.string(S3_ACCESS_KEY);
      return new S3Options(
          endpoint,
          settings.string(S3_REGION),
          bucket,
          settings.string(S3_PREFIX),
          settings.bool(S3_PATH_STYLE),
          accessKey,
          accessKey.isEmpty() ? "" : secretKey(settings));
    }

    private static boolean isHttpUrl(String text) {
      try {
        URI uri = new URI(text);
        return uri.getHost() != null
            && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
      } catch (URISyntaxException e) {
        return false;
      }
    }

    private static String secretKey(Settings settings) {
      String file = settings.string(S3_SECRET_KEY_FILE);
      if (!file.isEmpty()) {
        try {
          return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
          // The exception's message names the file, never its content.
          throw new ConfigException(S3_SECRET_KEY_FILE.name(), "cannot read " + file + ": " + e);
        }
      }
      String secret = settings.string(S3_SECRET_KEY);
      if (secret.isEmpty()) {
        throw new ConfigException(
            S3_SECRET_KEY.name(),
            "must be set (or " + S3_SECRET_KEY_FILE.name() + ") with blobstore.s3.access.key");
      }
      return secret;
    }
  }

  /**
   * The store {@code blobstore.type} names: {@code file} in {@code directory}, or {@code s3}
   * (spooling streamed puts under {@code directory}'s {@code .spool}).
   */
  public static BlobStore open(Settings settings, Path directory) {
    long maxBytes = settings.longValue(MAX_BYTES, 1, Long.MAX_VALUE);
    String type = settings.string(TYPE);
    return switch (type) {
      case "file" -> new FileBlobStore(directory, maxBytes);
      case "s3" -> s3(S3Options.from(settings), maxBytes, directory.resolve(".spool"));
      default -> throw new ConfigException(TYPE.name(), "must be file or s3, got '" + type + "'");
    };
  }

  public static S3BlobStore s3(S3Options options, long maxBytes, Path spoolDir) {
    return new S3BlobStore(
        s3Client(options), options.bucket(), options.prefix(), maxBytes, spoolDir);
  }

  /**
   * An S3 client for S3-compatible servers: checksums only where an operation requires them (the
   * SDK's default since 2.30 sends CRC32 trailers that MinIO before 2025, Ceph and others refuse;
   * the store verifies SHA-256 itself), no aws-chunked payload signing, path-style by default, the
   * JDK's HTTP client.
   */
  public static S3Client s3Client(S3Options options) {
    return s3ClientBuilder(options).build();
  }

  /** {@link #s3Client}'s builder, for a test to add to. */
  static S3ClientBuilder s3ClientBuilder(S3Options options) {
    AwsCredentialsProvider credentials =
        options.accessKey().isEmpty()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .region(Region.of(options.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(options.pathStyle())
            // Sign the payload whole rather than in aws-chunked frames (the SDK's choice over
            // plain HTTP): every S3-compatible server takes a whole-payload signature.
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (!options.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(options.endpoint()));
    }
    return builder;
  }
}
