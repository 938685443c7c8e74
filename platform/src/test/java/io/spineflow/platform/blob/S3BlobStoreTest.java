package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The contract against a real S3-compatible server: S3Proxy, in this JVM, on jclouds' filesystem
 * backend, with AWS signature checking on. Every test gets a bucket of its own.
 */
class S3BlobStoreTest extends BlobStoreContract {
  private static final String ACCESS_KEY = "spineflow-test";
  private static final String SECRET_KEY = "not-a-real-secret-0123456789";
  private static final String PREFIX = "claims/";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path serverDir;
  @TempDir Path spoolDir;

  private static BlobStoreContext context;
  private static S3Proxy server;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", serverDir.toString());
    context =
        // By its metadata, not its id: looking an id up loads every provider S3Proxy registers,
        // the Azure one included, whose SDK this test leaves out.
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    server =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    server.start();
    assertThat(server.getState()).isEqualTo("STARTED");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (context != null) {
      context.close();
    }
  }

  @BeforeEach
  void newBucket() {
    bucket = "blobs-" + BUCKETS.incrementAndGet();
    try (S3Client client = BlobStores.s3Client(options(bucket))) {
      client.createBucket(b -> b.bucket(bucket));
    }
  }

  static BlobStores.S3Options options(String bucket) {
    return new BlobStores.S3Options(
        "http://127.0.0.1:" + server.getPort(),
        "us-east-1",
        bucket,
        PREFIX,
        true,
        ACCESS_KEY,
        SECRET_KEY);
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

  /**
   * The bucket's keys, less the directory markers ({@code claims/}) jclouds' filesystem backend
   * lists for the directories it keeps objects in.
   */
  private List<String> keys() {
    try (S3Client client = BlobStores.s3Client(options(bucket))) {
      return client.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
          .map(S3Object::key)
          .filter(key -> !key.endsWith("/"))
          .toList();
    }
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
            "http://127.0.0.1:" + server.getPort(),
            "us-east-1",
            bucket,
            PREFIX,
            true,
            ACCESS_KEY,
            "a-wrong-secret-0123456789");
    try (S3BlobStore store = BlobStores.s3(wrong, 1000, spoolDir)) {
      assertThatThrownBy(() -> store.put(random(10, 14)))
          .isInstanceOf(BlobStoreException.class)
          .hasMessageNotContaining("a-wrong-secret");
    }
  }
}
