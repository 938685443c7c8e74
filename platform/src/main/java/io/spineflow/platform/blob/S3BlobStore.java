package io.spineflow.platform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects {@code <prefix><sha256>.bin} in one bucket of an S3-compatible object store (AWS
 * S3, MinIO, Ceph RGW, S3Proxy). A streamed put is spooled to a local temporary file while it is
 * hashed (the key is the hash, known only at the end) and then uploaded with its length; a put of
 * bytes already in the bucket is one HEAD request. S3 replaces an object atomically, so a reader
 * never sees half a blob.
 */
public final class S3BlobStore implements BlobStore {
  private static final String SUFFIX = ".bin";

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final long maxBytes;
  private final Path spoolDir;

  /**
   * @param client the client ({@link BlobStores#s3Client}); closed with this store
   * @param prefix prepended to every key ("" for none), e.g. {@code spineflow/claims/}
   * @param spoolDir where streamed puts are spooled before upload
   */
  public S3BlobStore(S3Client client, String bucket, String prefix, long maxBytes, Path spoolDir) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.maxBytes = maxBytes;
    this.spoolDir = spoolDir;
  }

  /** The object key that holds (or would hold) {@code ref}. */
  public String keyOf(BlobRef ref) {
    return prefix + ref.sha256() + SUFFIX;
  }

  @Override
  public BlobRef put(InputStream in) {
    Path spool = null;
    try {
      Files.createDirectories(spoolDir);
      spool = Files.createTempFile(spoolDir, "s3-put-", ".tmp");
      Digests.Copied copied;
      try (OutputStream out = Files.newOutputStream(spool)) {
        copied = Digests.copy(in, out, maxBytes);
      }
      if (!contains(copied.ref())) {
        Path file = spool;
        client.putObject(
            b -> b.bucket(bucket).key(keyOf(copied.ref())).contentLength(copied.size()),
            RequestBody.fromFile(file));
      }
      return copied.ref();
    } catch (IOException e) {
      throw new BlobStoreException("cannot spool a blob for " + describe() + ": " + e, e);
    } catch (SdkException e) {
      throw new BlobStoreException("cannot write a blob in " + describe() + ": " + e, e);
    } finally {
      Digests.deleteQuietly(spool);
    }
  }

  @Override
  public BlobRef put(byte[] bytes) {
    BlobRef ref = Digests.refOf(bytes, maxBytes);
    try {
      if (!contains(ref)) {
        client.putObject(
            b -> b.bucket(bucket).key(keyOf(ref)).contentLength((long) bytes.length),
            RequestBody.fromBytes(bytes));
      }
      return ref;
    } catch (SdkException e) {
      throw new BlobStoreException("cannot write " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public InputStream open(BlobRef ref) {
    return Digests.verifying(object(ref), ref, describe());
  }

  @Override
  public byte[] get(BlobRef ref) {
    ResponseInputStream<GetObjectResponse> object = object(ref);
    Long length = object.response().contentLength();
    try {
      if (length != null && length > maxBytes) {
        object.abort();
        throw new BlobTooLargeException(maxBytes);
      }
      return Digests.readVerified(object, ref, describe(), maxBytes);
    } catch (IOException | SdkException e) {
      throw new BlobStoreException("cannot read " + ref + " in " + describe() + ": " + e, e);
    }
  }

  private ResponseInputStream<GetObjectResponse> object(BlobRef ref) {
    try {
      return client.getObject(b -> b.bucket(bucket).key(keyOf(ref)));
    } catch (NoSuchKeyException e) {
      throw new BlobNotFoundException(ref, describe());
    } catch (SdkException e) {
      throw new BlobStoreException("cannot read " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public boolean contains(BlobRef ref) {
    try {
      client.headObject(b -> b.bucket(bucket).key(keyOf(ref)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      // A HEAD response has no body, so some servers' "not found" carries no NoSuchKey code.
      if (e.statusCode() == 404) {
        return false;
      }
      throw new BlobStoreException("cannot look up " + ref + " in " + describe() + ": " + e, e);
    } catch (SdkException e) {
      throw new BlobStoreException("cannot look up " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public boolean delete(BlobRef ref) {
    // S3's DELETE answers the same whether the key was there or not: ask first.
    boolean present = contains(ref);
    try {
      client.deleteObject(b -> b.bucket(bucket).key(keyOf(ref)));
      return present;
    } catch (SdkException e) {
      throw new BlobStoreException("cannot delete " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public String describe() {
    return "s3 blob store s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    client.close();
  }
}
