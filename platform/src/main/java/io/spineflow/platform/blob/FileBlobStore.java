package io.spineflow.platform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Blobs as files {@code <directory>/<sha256>.bin} on a local disk or a shared volume (NFS, a
 * Kubernetes ReadWriteMany volume). The layout is the claim-check store's of old, so a directory it
 * wrote is read as it is. A blob is written to a temporary file in the same directory while it is
 * hashed, then moved to its name atomically: a reader never sees half a blob, and two writers of
 * the same bytes both end with the one complete file.
 */
public final class FileBlobStore implements BlobStore {
  private static final String SUFFIX = ".bin";

  private final Path directory;
  private final long maxBytes;

  public FileBlobStore(Path directory, long maxBytes) {
    this.directory = directory.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
  }

  public Path directory() {
    return directory;
  }

  /** The file that holds (or would hold) {@code ref}. */
  public Path pathOf(BlobRef ref) {
    return directory.resolve(ref.sha256() + SUFFIX);
  }

  @Override
  public BlobRef put(InputStream in) {
    Path tmp = null;
    try {
      Files.createDirectories(directory);
      tmp = Files.createTempFile(directory, "put-", ".tmp");
      Digests.Copied copied;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        copied = Digests.copy(in, out, maxBytes);
      }
      settle(tmp, pathOf(copied.ref()));
      tmp = null;
      return copied.ref();
    } catch (IOException e) {
      throw new BlobStoreException("cannot write a blob in " + describe() + ": " + e, e);
    } finally {
      Digests.deleteQuietly(tmp);
    }
  }

  @Override
  public BlobRef put(byte[] bytes) {
    BlobRef ref = Digests.refOf(bytes, maxBytes);
    Path target = pathOf(ref);
    if (Files.exists(target)) {
      return ref;
    }
    Path tmp = null;
    try {
      Files.createDirectories(directory);
      tmp = Files.createTempFile(directory, "put-", ".tmp");
      Files.write(tmp, bytes);
      settle(tmp, target);
      tmp = null;
      return ref;
    } catch (IOException e) {
      throw new BlobStoreException("cannot write " + ref + " in " + describe() + ": " + e, e);
    } finally {
      Digests.deleteQuietly(tmp);
    }
  }

  /** Moves the written temporary file to its name, or drops it when the blob is already there. */
  private static void settle(Path tmp, Path target) throws IOException {
    if (Files.exists(target)) {
      Files.delete(tmp);
      return;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Same directory, so only an exotic file system gets here; same bytes either way.
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public InputStream open(BlobRef ref) {
    try {
      return Digests.verifying(Files.newInputStream(pathOf(ref)), ref, describe());
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(ref, describe());
    } catch (IOException e) {
      throw new BlobStoreException("cannot read " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public byte[] get(BlobRef ref) {
    Path path = pathOf(ref);
    try {
      if (Files.size(path) > maxBytes) {
        throw new BlobTooLargeException(maxBytes);
      }
      return Digests.readVerified(Files.newInputStream(path), ref, describe(), maxBytes);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(ref, describe());
    } catch (IOException e) {
      throw new BlobStoreException("cannot read " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public boolean contains(BlobRef ref) {
    return Files.isRegularFile(pathOf(ref));
  }

  @Override
  public boolean delete(BlobRef ref) {
    try {
      return Files.deleteIfExists(pathOf(ref));
    } catch (IOException e) {
      throw new BlobStoreException("cannot delete " + ref + " in " + describe() + ": " + e, e);
    }
  }

  @Override
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public String describe() {
    return "file blob store " + directory;
  }

  @Override
  public void close() {}
}
