package io.spineflow.platform.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 computed while bytes stream through, never over a second read of them. */
final class Digests {
  private static final int BUFFER = 64 * 1024;

  private Digests() {}

  /**
   * Deletes the temporary file a {@link #copy} was written to (a put's temporary file or spool), if
   * any. Left behind it is harmless (no reference names it), and throwing here would hide the
   * failure that brought the caller here.
   */
  static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // see above
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The reference of {@code bytes}, refused above {@code maxBytes}. */
  static BlobRef refOf(byte[] bytes, long maxBytes) {
    if (bytes.length > maxBytes) {
      throw new BlobTooLargeException(maxBytes);
    }
    MessageDigest digest = sha256();
    digest.update(bytes);
    return new BlobRef(hex(digest));
  }

  /** What {@link #copy} wrote: the reference of the bytes and how many there were. */
  record Copied(BlobRef ref, long size) {}

  /**
   * Copies {@code in} to {@code out}, hashing on the way; more than {@code maxBytes} is refused as
   * soon as the limit is crossed (the caller discards what was written).
   */
  static Copied copy(InputStream in, OutputStream out, long maxBytes) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      total += n;
      if (total > maxBytes) {
        throw new BlobTooLargeException(maxBytes);
      }
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return new Copied(new BlobRef(hex(digest)), total);
  }

  /**
   * Reads {@code in} fully (at most {@code maxBytes}) through {@link #verifying}: the bytes, or
   * {@link BlobCorruptException}.
   */
  static byte[] readVerified(InputStream in, BlobRef ref, String store, long maxBytes)
      throws IOException {
    try (InputStream verified = verifying(in, ref, store)) {
      byte[] bytes = verified.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw new BlobTooLargeException(maxBytes);
      }
      // readNBytes stops at the cap without reaching the end: drain so the digest is checked.
      if (verified.read() >= 0) {
        throw new BlobTooLargeException(maxBytes);
      }
      return bytes;
    }
  }

  /**
   * {@code in}, hashed as it is read; at its end the digest must equal {@code ref}, else the read
   * that reached the end throws {@link BlobCorruptException} (so a reader never takes corrupt bytes
   * as complete).
   */
  static InputStream verifying(InputStream in, BlobRef ref, String store) {
    return new Verifying(in, ref, store);
  }

  private static final class Verifying extends FilterInputStream {
    private final MessageDigest digest = sha256();
    private final BlobRef ref;
    private final String store;
    private boolean checked;

    Verifying(InputStream in, BlobRef ref, String store) {
      super(in);
      this.ref = ref;
      this.store = store;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      } else {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        check();
      } else {
        digest.update(b, off, n);
      }
      return n;
    }

    // skip would bypass the digest: read through instead.
    @Override
    public long skip(long n) throws IOException {
      byte[] sink = new byte[(int) Math.min(BUFFER, Math.max(n, 0))];
      long skipped = 0;
      while (skipped < n) {
        int read = read(sink, 0, (int) Math.min(sink.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void check() {
      if (checked) {
        return;
      }
      checked = true;
      String actual = hex(digest);
      if (!actual.equals(ref.sha256())) {
        throw new BlobCorruptException(ref, actual, store);
      }
    }
  }
}
