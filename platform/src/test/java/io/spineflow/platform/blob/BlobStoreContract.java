package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} backend promises, run against each real backend by a subclass: the
 * file system ({@link FileBlobStoreTest}) and an S3-compatible server ({@link S3BlobStoreTest}).
 */
abstract class BlobStoreContract {
  static final long DEFAULT_MAX = 64L * 1024 * 1024;

  /** A store over this test's storage (the same storage for every call in one test). */
  abstract BlobStore store(long maxBytes);

  /** Replaces the stored bytes of {@code ref} behind the store's back (a rotten disk). */
  abstract void overwrite(BlobRef ref, byte[] bytes) throws Exception;

  /** How many entries the storage holds (blobs and anything else, temporary files included). */
  abstract int storedEntries() throws Exception;

  @Test
  void putThenGetReturnsTheBytesUnderTheirSha256() throws IOException {
    byte[] bytes = "a lumbar spine, slice 7".getBytes(StandardCharsets.UTF_8);
    try (BlobStore store = store(DEFAULT_MAX)) {
      BlobRef ref = store.put(bytes);

      assertThat(ref.toString()).isEqualTo("sha256:" + sha256(bytes));
      assertThat(store.contains(ref)).isTrue();
      assertThat(store.get(ref)).isEqualTo(bytes);
      try (InputStream in = store.open(ref)) {
        assertThat(in.readAllBytes()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void aStreamedPutNamesTheBytesAsAPutOfTheBytesDoes() {
    byte[] bytes = random(100_000, 1);
    try (BlobStore store = store(DEFAULT_MAX)) {
      assertThat(store.put(new ByteArrayInputStream(bytes)))
          .isEqualTo(Digests.refOf(bytes, 1L << 20));
      assertThat(store.get(Digests.refOf(bytes, 1L << 20))).isEqualTo(bytes);
    }
  }

  @Test
  void puttingTheSameBytesAgainKeepsOneBlobAndTheSameReference() throws Exception {
    byte[] bytes = random(10_000, 2);
    try (BlobStore store = store(DEFAULT_MAX)) {
      BlobRef first = store.put(bytes);
      BlobRef again = store.put(bytes);
      BlobRef streamed = store.put(new ByteArrayInputStream(bytes));

      assertThat(again).isEqualTo(first);
      assertThat(streamed).isEqualTo(first);
      assertThat(storedEntries()).isEqualTo(1);
      assertThat(store.get(first)).isEqualTo(bytes);
    }
  }

  @Test
  void bytesThatNoLongerMatchTheirReferenceAreRefused() throws Exception {
    byte[] bytes = random(5_000, 3);
    try (BlobStore store = store(DEFAULT_MAX)) {
      BlobRef ref = store.put(bytes);
      byte[] rotten = bytes.clone();
      rotten[2_500] ^= 1;
      overwrite(ref, rotten);

      assertThatThrownBy(() -> store.get(ref))
          .isInstanceOf(BlobCorruptException.class)
          .hasMessageContaining(ref.toString())
          .hasMessageContaining("sha256:" + sha256(rotten));
      assertThatThrownBy(
              () -> {
                try (InputStream in = store.open(ref)) {
                  in.readAllBytes();
                }
              })
          .isInstanceOf(BlobCorruptException.class);
    }
  }

  @Test
  void aMissingBlobIsNotFoundNamingItsReference() {
    BlobRef never = Digests.refOf("never stored".getBytes(StandardCharsets.UTF_8), 100);
    try (BlobStore store = store(DEFAULT_MAX)) {
      assertThat(store.contains(never)).isFalse();
      assertThatThrownBy(() -> store.get(never))
          .isInstanceOf(BlobNotFoundException.class)
          .hasMessageContaining(never.toString());
      assertThatThrownBy(() -> store.open(never).close()).isInstanceOf(BlobNotFoundException.class);
    }
  }

  @Test
  void deleteErasesTheBlobAndSaysWhetherItWasThere() throws Exception {
    byte[] bytes = random(1_000, 4);
    try (BlobStore store = store(DEFAULT_MAX)) {
      BlobRef ref = store.put(bytes);

      assertThat(store.delete(ref)).isTrue();
      assertThat(store.contains(ref)).isFalse();
      assertThatThrownBy(() -> store.get(ref)).isInstanceOf(BlobNotFoundException.class);
      assertThat(store.delete(ref)).isFalse();
      assertThat(storedEntries()).isZero();
    }
  }

  @Test
  void aLargeBlobStreamsInAndOutWithoutBeingHeldWhole() throws Exception {
    long size = 6L * 1024 * 1024 + 13;
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    try (BlobStore store = store(DEFAULT_MAX)) {
      BlobRef ref = store.put(new GeneratedStream(size, 5, written));
      assertThat(ref.sha256()).isEqualTo(HexFormat.of().formatHex(written.digest()));

      MessageDigest read = MessageDigest.getInstance("SHA-256");
      long total = 0;
      byte[] buffer = new byte[8192];
      try (InputStream in = store.open(ref)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          read.update(buffer, 0, n);
          total += n;
        }
      }
      assertThat(total).isEqualTo(size);
      assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(ref.sha256());
    }
  }

  @Test
  void aBlobAboveTheLimitIsRefusedNamingTheSettingAndNothingIsStored() throws Exception {
    try (BlobStore small = store(1024)) {
      assertThatThrownBy(() -> small.put(random(1025, 6)))
          .isInstanceOf(BlobTooLargeException.class)
          .hasMessageContaining("blobstore.max.bytes")
          .hasMessageContaining("1024");
      assertThatThrownBy(() -> small.put(new ByteArrayInputStream(random(1025, 7))))
          .isInstanceOf(BlobTooLargeException.class)
          .hasMessageContaining("blobstore.max.bytes");
      assertThat(storedEntries()).isZero();

      BlobRef atTheLimit = small.put(random(1024, 8));
      assertThat(small.get(atTheLimit)).hasSize(1024);
    }
  }

  @Test
  void aStoredBlobAboveTheReadersLimitIsRefusedOnGet() {
    byte[] bytes = random(4096, 9);
    try (BlobStore large = store(DEFAULT_MAX);
        BlobStore small = store(1024)) {
      BlobRef ref = large.put(bytes);

      assertThatThrownBy(() -> small.get(ref))
          .isInstanceOf(BlobTooLargeException.class)
          .hasMessageContaining("blobstore.max.bytes");
    }
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    MessageDigest digest = Digests.sha256();
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  /** {@code size} pseudo-random bytes made as they are read, hashed into {@code digest}. */
  private static final class GeneratedStream extends InputStream {
    private final Random random;
    private final MessageDigest digest;
    private long left;

    GeneratedStream(long size, long seed, MessageDigest digest) {
      this.random = new Random(seed);
      this.digest = digest;
      this.left = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      digest.update(chunk);
      left -= n;
      return n;
    }
  }
}
