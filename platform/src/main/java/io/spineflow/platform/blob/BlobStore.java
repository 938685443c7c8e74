package io.spineflow.platform.blob;

import java.io.InputStream;

/**
 * Content-addressed, immutable blobs: claim-checked study data, model artifacts. A blob is written
 * once and named by the SHA-256 of its bytes ({@link BlobRef}), so writing the same bytes again is
 * a no-op, any reader can verify what it got, and a reference carries no host path: every host that
 * reaches the same store (a shared volume, an S3 bucket) reads the same bytes by it.
 *
 * <p>Every method throws {@link BlobStoreException} (unchecked): {@link BlobNotFoundException},
 * {@link BlobCorruptException}, {@link BlobTooLargeException}, or the base class for an I/O or
 * server failure.
 */
public interface BlobStore extends AutoCloseable {

  /**
   * Stores the bytes of {@code in} (read to its end, not closed), hashing them as they stream;
   * idempotent for the same bytes.
   *
   * @throws BlobTooLargeException above {@link #maxBytes()}; nothing is stored
   */
  BlobRef put(InputStream in);

  /** Stores {@code bytes}; idempotent. */
  BlobRef put(byte[] bytes);

  /**
   * The blob's bytes as a stream that verifies them: the read that reaches the end throws {@link
   * BlobCorruptException} when they do not hash to {@code ref}. The caller closes it.
   *
   * @throws BlobNotFoundException when the store has no such blob
   */
  InputStream open(BlobRef ref);

  /** The blob's bytes, verified; at most {@link #maxBytes()}. */
  byte[] get(BlobRef ref);

  /** Whether the store holds {@code ref} (not verified). */
  boolean contains(BlobRef ref);

  /**
   * Deletes the blob (erasure); deleting a blob that is not there is not an error.
   *
   * @return whether it was there
   */
  boolean delete(BlobRef ref);

  /** The largest blob this store takes or returns, in bytes. */
  long maxBytes();

  /** Where the blobs are, for messages and logs (never a secret). */
  String describe();

  @Override
  void close();
}
