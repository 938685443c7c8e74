package io.spineflow.platform.volume;

import io.spineflow.events.ClaimCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-addressed storage for voxel data too large to travel inside a Kafka message. Files are
 * named by their SHA-256, written atomically and never modified, so storing the same bytes twice is
 * free and a reader can always verify what it got. The directory must be shared by the producer and
 * the consumers (a volume in docker-compose).
 */
public final class ClaimCheckStore {
  private final Path directory;

  public ClaimCheckStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /** Stores {@code bytes} (if not already there) and returns the claim check. */
  public ClaimCheck put(byte[] bytes) {
    String sha = sha256(bytes);
    Path target = directory.resolve(sha + ".bin");
    try {
      Files.createDirectories(directory);
      if (!Files.exists(target)) {
        Path tmp = Files.createTempFile(directory, sha, ".tmp");
        Files.write(tmp, bytes);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write claim check " + target, e);
    }
    return ClaimCheck.newBuilder()
        .setUri(target.toUri().toString())
        .setSha256(sha)
        .setSizeBytes(bytes.length)
        .build();
  }

  /**
   * Reads the bytes of {@code check}, verifying size and checksum.
   *
   * @throws VolumeException {@code CLAIM_CHECK_INVALID} when the file is missing, outside this
   *     store, or does not match
   */
  public byte[] get(ClaimCheck check) {
    Path path = pathOf(check.getUri());
    if (!path.startsWith(directory)) {
      throw new VolumeException(
          "CLAIM_CHECK_INVALID", "uri", path + " is outside the claim-check store " + directory);
    }
    try {
      long size = Files.size(path);
      if (size != check.getSizeBytes()) {
        throw new VolumeException(
            "CLAIM_CHECK_INVALID",
            "sizeBytes",
            "stored file has " + size + " bytes, claim says " + check.getSizeBytes());
      }
      byte[] bytes = Files.readAllBytes(path);
      if (!sha256(bytes).equals(check.getSha256())) {
        throw new VolumeException("CLAIM_CHECK_INVALID", "sha256", "stored bytes do not match");
      }
      return bytes;
    } catch (IOException e) {
      throw new VolumeException("CLAIM_CHECK_INVALID", "uri", "cannot read " + path + ": " + e);
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
        throw new VolumeException("CLAIM_CHECK_INVALID", "uri", "not a file: URI: " + uri);
      }
      return Path.of(parsed).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new VolumeException("CLAIM_CHECK_INVALID", "uri", "not a file URI: " + uri);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
