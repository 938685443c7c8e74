package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.objectstore.InProcessS3;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contract against a real S3-compatible server: S3Proxy, in this JVM, on jclouds' filesystem
 * backend, with AWS signature checking on. Every test gets a bucket of its own.
 */
class S3BlobStoreTest extends BlobStoreContract {
  private static final String PREFIX = "claims/";

  @TempDir static Path serverDir;
  @TempDir Path spoolDir;

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static InProcessS3 server;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = InProcessS3.start(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void newBucket() {
    bucket = server.createBucket("blobs-" + BUCKETS.incrementAndGet());
  }

  static BlobStores.S3Options options(String bucket) {
    return options(server, bucket, PREFIX);
  }

  /** Client options for {@code bucket} of {@code server}, with its key. */
  public static BlobStores.S3Options options(InProcessS3 server, String bucket, String prefix) {
    return new BlobStores.S3Options(
        server.endpoint(),
        "us-east-1",
        bucket,
        prefix,
        true,
        InProcessS3.ACCESS_KEY,
        InProcessS3.SECRET_KEY);
  }

  @Override
  BlobStore store(long maxBytes) {
    return BlobStores.s3(options(bucket), maxBytes, spoolDir);
  }

  @Override
  void overwrite(BlobRef ref, byte[] bytes) {
    try (S3BlobStore store = BlobStores.s3(options(bucket), 1, spoolDir);
        S3Client client = BlobStores.s3Client(options(bucket))) {
      client.putObject(b -> b.bucket(bucket).key(store.keyOf(ref)), RequestBody.fromBytes(bytes));
    }
  }

  @Override
  int storedEntries() {
    return keys().size();
  }

  /** The bucket's keys, as the server lists them. */
  private List<String> keys() {
    return server.keys(bucket);
  }

  @Test
  void aBlobIsAnObjectNamedByItsDigestUnderThePrefix() {
    byte[] bytes = random(100, 11);
    try (S3BlobStore store = BlobStores.s3(options(bucket), 1000, spoolDir)) {
      BlobRef ref = store.put(bytes);

      assertThat(keys()).containsExactly(PREFIX + ref.sha256() + ".bin");
    }
  }

  @Test
  void aStreamedPutLeavesNoSpoolFileBehind() throws Exception {
    try (S3BlobStore store = BlobStores.s3(options(bucket), 1000, spoolDir)) {
      store.put(new ByteArrayInputStream(random(500, 12)));
      assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(1001, 13))))
          .isInstanceOf(BlobTooLargeException.class);
    }
    try (var files = Files.list(spoolDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aWrongSecretIsRefusedByTheServer() {
    BlobStores.S3Options wrong =
        new BlobStores.S3Options(
            server.endpoint(),
            "us-east-1",
            bucket,
            PREFIX,
            true,
            InProcessS3.ACCESS_KEY,
            "a-wrong-secret-0123456789");
    try (S3BlobStore store = BlobStores.s3(wrong, 1000, spoolDir)) {
      assertThatThrownBy(() -> store.put(random(10, 14)))
          .isInstanceOf(BlobStoreException.class)
          .hasMessageNotContaining("a-wrong-secret");
    }
  }

  /**
   * What S3-compatible servers need of the client: path-style requests, and no checksum headers or
   * aws-chunked payloads where S3 does not require them. The SDK's default since 2.30 (the second
   * client) sends a CRC32 with every upload, which this server, like others, refuses.
   */
  @Test
  void requestsArePathStyleAndCarryNoChecksumWhereNoneIsRequired() {
    List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.add(context.httpRequest());
          }
        };
    S3Client client =
        BlobStores.s3ClientBuilder(options(bucket))
            .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
            .build();
    try (S3BlobStore store = new S3BlobStore(client, bucket, PREFIX, 1 << 20, spoolDir)) {
      store.put(random(2000, 15));
      store.put(new ByteArrayInputStream(random(3000, 16)));
    }

    List<SdkHttpRequest> puts = sent.stream().filter(r -> r.method() == SdkHttpMethod.PUT).toList();
    assertThat(puts).hasSize(2);
    assertThat(puts)
        .allSatisfy(
            r -> {
              assertThat(r.host()).isEqualTo("127.0.0.1");
              assertThat(r.encodedPath()).startsWith("/" + bucket + "/" + PREFIX);
              assertThat(checksumHeaders(r)).isEmpty();
            });

    sent.clear();
    S3Client byDefault =
        BlobStores.s3ClientBuilder(options(bucket))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
            .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
            .build();
    try (S3BlobStore store = new S3BlobStore(byDefault, bucket, PREFIX, 1 << 20, spoolDir)) {
      // This server is one of those that refuse them.
      assertThatThrownBy(() -> store.put(random(2000, 17)))
          .isInstanceOf(BlobStoreException.class)
          .hasMessageContaining("Status Code: 501");
    }
    assertThat(sent.stream().filter(r -> r.method() == SdkHttpMethod.PUT))
        .singleElement()
        .satisfies(r -> assertThat(checksumHeaders(r)).isNotEmpty());
  }

  private static List<String> checksumHeaders(SdkHttpRequest request) {
    return request.headers().entrySet().stream()
        .filter(
            h ->
                h.getKey().toLowerCase(Locale.ROOT).startsWith("x-amz-checksum")
                    || h.getKey().equalsIgnoreCase("x-amz-sdk-checksum-algorithm")
                    || h.getKey().equalsIgnoreCase("x-amz-trailer")
                    || (h.getKey().equalsIgnoreCase("content-encoding")
                        && h.getValue().contains("aws-chunked")))
        .map(h -> h.getKey() + ": " + h.getValue())
        .toList();
  }
}
