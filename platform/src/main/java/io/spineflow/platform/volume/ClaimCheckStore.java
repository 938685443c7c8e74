package io.spineflow.platform.volume;

import io.spineflow.events.ClaimCheck;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobCorruptException;
import io.spineflow.platform.blob.BlobNotFoundException;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.blob.BlobStoreSettings;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.platform.blob.BlobTooLargeException;
import io.spineflow.platform.blob.FileBlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Voxel data too large to travel inside a Kafka message, kept in the {@link BlobStore} the settings
 * choose (a directory, or an S3 bucket: {@code blobstore.type}). A claim check names the bytes by
 * their SHA-256 ({@code uri} = {@code sha256:<hex>}), never by a host path, so any host that
 * reaches the store reads them; they are verified on every read.
 *
 * <p>Claim checks written before the blob store carry a {@code file:} URI. They are still read,
 * from this store's directory only (the blob store's file layout is the same, so on the host that
 * wrote them nothing changed); with {@code blobstore.type=s3} a host without that directory finds
 * them missing, as it did before.
 */
public final class ClaimCheckStore implements AutoCloseable {
  private static final String INVALID = "CLAIM_CHECK_INVALID";

  private final BlobStore blobs;
  private final Path directory;

  /** A file store in {@code directory} with the default size limit (tests, tools). */
  public ClaimCheckStore(Path directory) {
    this(
        new FileBlobStore(directory, Long.parseLong(BlobStoreSettings.MAX_BYTES.defaultValue())),
        directory);
  }

  /**
   * @param blobs where claim-checked bytes are written and read
   * @param directory the claim-check directory: legacy {@code file:} claim checks are read inside
   *     it
   */
  public ClaimCheckStore(BlobStore blobs, Path directory) {
    this.blobs = blobs;
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** The store {@code blobstore.*} chooses, with {@code directory} as the claim-check directory. */
  public static ClaimCheckStore open(Settings settings, Path directory) {
    return new ClaimCheckStore(BlobStores.open(settings, directory), directory);
  }

  public Path directory() {
    return directory;
  }

  public BlobStore blobs() {
    return blobs;
  }

  /** Stores {@code bytes} (if not already there) and returns the claim check. */
  public ClaimCheck put(byte[] bytes) {
    BlobRef ref = blobs.put(bytes);
    return ClaimCheck.newBuilder()
        .setUri(ref.toString())
        .setSha256(ref.sha256())
        .setSizeBytes(bytes.length)
        .build();
  }

  /**
   * Reads the bytes of {@code check}, verifying size and checksum.
   *
   * @throws VolumeException {@code CLAIM_CHECK_INVALID} when the blob is missing, outside this
   *     store, or does not match
   */
  public byte[] get(ClaimCheck check) {
    String uri = check.getUri();
    return BlobRef.isRef(uri) ? getBlob(check) : getLegacyFile(check);
  }

  private byte[] getBlob(ClaimCheck check) {
    BlobRef ref;
    try {
      ref = BlobRef.parse(check.getUri());
    } catch (IllegalArgumentException e) {
      throw new VolumeException(INVALID, "uri", e.getMessage());
    }
    if (!ref.sha256().equals(check.getSha256())) {
      throw new VolumeException(INVALID, "sha256", "the claim's sha256 is not its reference's");
    }
    byte[] bytes;
    try {
      bytes = blobs.get(ref);
    } catch (BlobNotFoundException e) {
      throw new VolumeException(INVALID, "uri", e.getMessage());
    } catch (BlobCorruptException e) {
      throw new VolumeException(INVALID, "sha256", "stored bytes do not match: " + e.getMessage());
    } catch (BlobTooLargeException e) {
      throw new VolumeException(INVALID, "sizeBytes", e.getMessage());
    } catch (BlobStoreException e) {
      throw new VolumeException(INVALID, "uri", e.getMessage());
    }
    if (bytes.length != check.getSizeBytes()) {
      throw new VolumeException(
          INVALID,
          "sizeBytes",
          "stored blob has " + bytes.length + " bytes, claim says " + check.getSizeBytes());
    }
    return bytes;
  }

  /** A claim check of before the blob store: a {@code file:} URI inside the directory. */
  private byte[] getLegacyFile(ClaimCheck check) {
    Path path = pathOf(check.getUri());
    if (!path.startsWith(directory)) {
      throw new VolumeException(
          INVALID, "uri", path + " is outside the claim-check store " + directory);
    }
    try {
      long size = Files.size(path);
      if (size != check.getSizeBytes()) {
        throw new VolumeException(
            INVALID,
            "sizeBytes",
            "stored file has " + size + " bytes, claim says " + check.getSizeBytes());
      }
      byte[] bytes = Files.readAllBytes(path);
      if (!sha256(bytes).equals(check.getSha256())) {
        throw new VolumeException(INVALID, "sha256", "stored bytes do not match");
      }
      return bytes;
    } catch (IOException e) {
      throw new VolumeException(INVALID, "uri", "cannot read " + path + ": " + e);
    }
  }

  /**
   * The local path of a {@code file:} URI. Any other scheme is refused before the JDK looks for a
   * file system provider for it: {@code foo:bar} would throw {@code FileSystemNotFoundException}
   * and {@code jar:} would open an archive.
   */
  private static Path pathOf(String uri) {
    try {
      URI parsed = URI.create(uri);
      if (!"file".equalsIgnoreCase(parsed.getScheme())) {
        throw new VolumeException(
            INVALID, "uri", "neither a sha256: reference nor a file: URI: " + uri);
      }
      return Path.of(parsed).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new VolumeException(INVALID, "uri", "not a file URI: " + uri);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    blobs.close();
  }
}
