package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.Image;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads MetaImage files ({@code .mha} with inline data, {@code .mhd} with a detached {@code
 * .raw}/{@code .zraw}) the way ITK's MetaIO does, within {@link MetaImageLimits}. Every rejection
 * is a {@link MetaImageException} with a stable {@link ReasonCode}. Immutable and thread-safe.
 */
public final class MetaImageReader {
  private final MetaImageLimits limits;

  /** A reader with {@link MetaImageLimits#DEFAULT}. */
  public MetaImageReader() {
    this(MetaImageLimits.DEFAULT);
  }

  /** A reader that enforces {@code limits} on every input. */
  public MetaImageReader(MetaImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public MetaImageLimits limits() {
    return limits;
  }

  /**
   * Reads a {@code .mha} or {@code .mhd} file; a detached data file must lie in the header's own
   * directory ({@link DataFileResolver#confinedTo(Path)}).
   *
   * @throws MetaImageException when the file is not an acceptable MetaImage
   * @throws IOException when the file cannot be read
   */
  public MetaImage read(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteSource source = ByteSource.of(channel);
      RawHeader raw = scanHeader(channel);
      MetaImageHeader header = MetaImageHeaderParser.parse(raw, limits);
      if (header.dataIsLocal()) {
        return decode(header, source, raw.dataOffset());
      }
      return readDetached(header, DataFileResolver.confinedTo(directory));
    }
  }

  /**
   * Reads an {@code .mha} held in memory (e.g. a Kafka record value). A detached data file is
   * refused with {@link ReasonCode#DATA_FILE_UNRESOLVABLE}.
   */
  public MetaImage read(byte[] bytes) throws MetaImageException {
    try {
      return read(bytes, DataFileResolver.none());
    } catch (MetaImageException e) {
      throw e;
    } catch (IOException e) {
      // Without a resolver nothing but the array is read, so no other IOException can occur.
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a header held in memory; its voxels follow it ({@code LOCAL}) or lie in the file that
   * {@code resolver} finds for its {@code ElementDataFile}.
   */
  public MetaImage read(byte[] bytes, DataFileResolver resolver) throws IOException {
    Objects.requireNonNull(resolver, "resolver");
    ByteSource source = ByteSource.of(bytes);
    RawHeader raw = scanHeader(bytes);
    MetaImageHeader header = MetaImageHeaderParser.parse(raw, limits);
    if (header.dataIsLocal()) {
      return decode(header, source, raw.dataOffset());
    }
    return readDetached(header, resolver);
  }

  /**
   * Reads a whole stream (not closed) as {@link #read(byte[], DataFileResolver)} does, refusing
   * streams longer than {@link MetaImageLimits#maxInputBytes()} with {@link
   * ReasonCode#INPUT_TOO_LARGE}.
   */
  public MetaImage read(InputStream in, DataFileResolver resolver) throws IOException {
    long max = limits.maxInputBytes();
    byte[] bytes = in.readNBytes((int) max);
    if (bytes.length == max && in.read() != -1) {
      throw new MetaImageException(
          ReasonCode.INPUT_TOO_LARGE,
          null,
          "input longer than " + max + " bytes (MetaImageLimits.maxInputBytes)");
    }
    return read(bytes, resolver);
  }

  /**
   * Parses and validates only the header of a file, without reading voxels (nor checking the
   * detached data file): a cheap first check for ingest.
   */
  public MetaImageHeader readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return MetaImageHeaderParser.parse(scanHeader(channel), limits);
    }
  }

  /** Parses and validates only the header at the start of {@code bytes}. */
  public MetaImageHeader readHeader(byte[] bytes) throws MetaImageException {
    return MetaImageHeaderParser.parse(scanHeader(bytes), limits);
  }

  private RawHeader scanHeader(byte[] bytes) throws MetaImageException {
    int headLength = Math.min(bytes.length, limits.maxHeaderBytes());
    return HeaderScanner.scan(bytes, headLength, headLength == bytes.length, limits);
  }

  private RawHeader scanHeader(FileChannel channel) throws IOException {
    long size = channel.size();
    int headLength = (int) Math.min(size, limits.maxHeaderBytes());
    ByteBuffer head = ByteBuffer.allocate(headLength);
    while (head.hasRemaining()) {
      if (channel.read(head, head.position()) < 0) {
        break;
      }
    }
    byte[] bytes = Arrays.copyOf(head.array(), head.position());
    return HeaderScanner.scan(bytes, bytes.length, bytes.length == size, limits);
  }

  private MetaImage readDetached(MetaImageHeader header, DataFileResolver resolver)
      throws IOException {
    Path dataFile = resolver.resolve(header.elementDataFile());
    try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      return decode(header, ByteSource.of(channel), 0);
    } catch (NoSuchFileException e) {
      throw new MetaImageException(
          ReasonCode.DATA_FILE_NOT_FOUND,
          HeaderScanner.DATA_FILE_KEY,
          HeaderScanner.DATA_FILE_KEY
              + ": '"
              + HeaderScanner.abbreviate(header.elementDataFile())
              + "' does not exist",
          e);
    }
  }

  private static MetaImage decode(MetaImageHeader header, ByteSource source, long headerEnd)
      throws IOException {
    byte[] voxels = VoxelDataDecoder.decode(header, source, headerEnd);
    return new MetaImage(header, Image.wrap(header.geometry(), header.elementType(), voxels));
  }
}
