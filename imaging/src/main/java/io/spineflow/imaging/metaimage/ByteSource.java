package io.spineflow.imaging.metaimage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random access to the bytes that hold the voxels: an in-memory message or an open file. Reads are
 * positional so a data file is never read further than the header says it should be.
 */
interface ByteSource {

  long size() throws IOException;

  /**
   * Reads up to {@code length} bytes at {@code position} into {@code target[offset..]}.
   *
   * @return how many bytes were read, or -1 at the end
   */
  int read(long position, byte[] target, int offset, int length) throws IOException;

  static ByteSource of(byte[] bytes) {
    return new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public int read(long position, byte[] target, int offset, int length) {
        if (position >= bytes.length) {
          return -1;
        }
        int count = (int) Math.min(length, bytes.length - position);
        System.arraycopy(bytes, (int) position, target, offset, count);
        return count;
      }
    };
  }

  /** Reads through {@code channel}; the caller closes it. */
  static ByteSource of(FileChannel channel) {
    return new ByteSource() {
      @Override
      public long size() throws IOException {
        return channel.size();
      }

      @Override
      public int read(long position, byte[] target, int offset, int length) throws IOException {
        return channel.read(ByteBuffer.wrap(target, offset, length), position);
      }
    };
  }
}
