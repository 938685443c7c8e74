package io.spineflow.objectstore;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.filesystem.FilesystemApiMetadata;

/**
 * A real S3-compatible server in this JVM, for tests: S3Proxy on jclouds' filesystem backend, on a
 * free loopback port, checking AWS signatures (V2 or V4) against one access key. Its dependencies
 * are optional in this module: a test module that uses it declares {@code org.gaul:s3proxy} (see
 * platform's pom), so nothing of it reaches a service's run-time class path.
 */
public final class InProcessS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "spineflow-test";
  public static final String SECRET_KEY = "not-a-real-secret-0123456789";

  private final BlobStoreContext context;
  private final S3Proxy server;

  private InProcessS3(BlobStoreContext context, S3Proxy server) {
    this.context = context;
    this.server = server;
  }

  /** Starts a server keeping its buckets under {@code dir}. */
  public static InProcessS3 start(Path dir) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    // By its metadata, not its id: looking an id up loads every provider S3Proxy registers, the
    // Azure one included, whose SDK is left out.
    BlobStoreContext context =
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    S3Proxy server =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      server.start();
      if (!"STARTED".equals(server.getState())) {
        throw new IllegalStateException("S3Proxy did not start: " + server.getState());
      }
    } catch (Exception e) {
      context.close();
      throw e;
    }
    return new InProcessS3(context, server);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** Creates the bucket {@code name} (the server's own API, not S3) and returns its name. */
  public String createBucket(String name) {
    context.getBlobStore().createContainerInLocation(null, name);
    return name;
  }

  /**
   * The keys of the bucket's objects, read on the server's side; the directory markers ({@code
   * claims/}) jclouds' filesystem backend lists for the directories it keeps objects in are left
   * out.
   */
  public List<String> keys(String bucket) {
    BlobStore store = context.getBlobStore();
    List<String> keys = new ArrayList<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    while (true) {
      PageSet<? extends StorageMetadata> page = store.list(bucket, options);
      for (StorageMetadata m : page) {
        if (m.getType() == StorageType.BLOB && !m.getName().endsWith("/")) {
          keys.add(m.getName());
        }
      }
      if (page.getNextMarker() == null) {
        return keys;
      }
      options = ListContainerOptions.Builder.recursive().afterMarker(page.getNextMarker());
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    } finally {
      context.close();
    }
  }
}
