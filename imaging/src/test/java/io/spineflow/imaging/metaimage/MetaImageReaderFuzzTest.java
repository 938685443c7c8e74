package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.spineflow.imaging.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of {@link MetaImageReader} (issue #9, bad input) with Jazzer. Whatever
 * the bytes, the reader either returns an image that {@link ReaderContract#checkAccepted} finds
 * consistent, or throws a {@link MetaImageException} that {@link ReaderContract#checkRejection}
 * finds well-formed. Any other exception or error (NPE, index out of bounds, NumberFormatException,
 * OutOfMemoryError, a hang...) escapes the test and is a finding.
 *
 * <p>Each input is read as an in-memory {@code .mha}, and its header alone under a much smaller
 * header limit (so that header bombs are tried on every input). An input whose header is acceptable
 * but names a detached data file is read again as an {@code .mhd} through a resolver confined to a
 * study directory, where {@code image.raw} holds the bytes that follow the header (the directory
 * also has a sub-directory and a symbolic link leading out, for the resolver's refusals). An
 * accepted inline image must also read the same from a file (the {@code FileChannel} path) and
 * survive a write and re-read by {@link MetaImageWriter}.
 *
 * <p>The limits are small so that header and decompression bombs hit them within a few KiB. Seeds
 * and past findings are in {@code MetaImageReaderFuzzTestInputs/readsOrRejectsWithAReason}; how
 * long the build fuzzes is set in {@code imaging/pom.xml} (see {@code imaging/README.md}).
 */
class MetaImageReaderFuzzTest {
  private static final String SEEDS = "MetaImageReaderFuzzTestInputs/readsOrRejectsWithAReason";
  // Jazzer mutates byte arrays up to 1000 bytes unless told otherwise: too short for a header to
  // pass LIMITS.maxHeaderBytes. (libFuzzer's own bound, 4096 bytes by default, still applies.)
  private static final int MAX_INPUT_BYTES = 8192;
  private static final MetaImageLimits LIMITS = new MetaImageLimits(2048, 4096, 16 * 1024);
  private static final MetaImageReader READER = new MetaImageReader(LIMITS);
  private static final ReaderContract CONTRACT = new ReaderContract(LIMITS);
  // A header limit below the header of most seeds: header bombs are then tried on nearly every
  // input, not only on the rare ones that grow past LIMITS.maxHeaderBytes.
  private static final MetaImageLimits SMALL_HEADER_LIMITS =
      new MetaImageLimits(256, LIMITS.maxVoxels(), LIMITS.maxDecodedBytes());
  private static final MetaImageReader SMALL_HEADER_READER =
      new MetaImageReader(SMALL_HEADER_LIMITS);
  private static final ReaderContract SMALL_HEADER_CONTRACT =
      new ReaderContract(SMALL_HEADER_LIMITS);

  @TempDir static Path scratch;
  private static Path study;
  private static Path mhaFile;

  @BeforeAll
  static void createStudyDirectory() throws IOException {
    study = Files.createDirectory(scratch.resolve("study"));
    Files.createDirectory(study.resolve("folder.raw"));
    Path outside = Files.write(scratch.resolve("outside.raw"), new byte[64]);
    Files.createSymbolicLink(study.resolve("link.raw"), outside);
    mhaFile = Files.createDirectory(scratch.resolve("inline")).resolve("image.mha");
  }

  // Words of the format, so that mutations splice whole keys and values. No line ends: Jazzer
  // 0.30 writes them unescaped into libFuzzer's dictionary file, which then fails to parse.
  @DictionaryEntries({
    "ObjectType = Image",
    "NDims = 3",
    "DimSize = ",
    "ElementType = MET_",
    "ElementDataFile = LOCAL",
    "ElementDataFile = image.raw",
    "CompressedData = True",
    "CompressedDataSize = ",
    "HeaderSize = -1",
    "BinaryDataByteOrderMSB = True",
    "ElementByteOrderMSB",
    "ElementNumberOfChannels",
    "ElementSpacing",
    "ElementSize",
    "TransformMatrix",
    "Rotation",
    "Orientation",
    "Offset",
    "Position",
    "Origin",
    "CenterOfRotation",
    "AnatomicalOrientation",
    "BinaryData",
    "ElementMin",
    "ElementMax",
    "MET_UCHAR",
    "MET_SHORT",
    "MET_ULONG_LONG",
    "MET_DOUBLE",
    "link.raw",
    "folder.raw",
    "../outside.raw",
    "LIST",
    "1e308",
    "2147483647"
  })
  @FuzzTest(maxDuration = "20s")
  void readsOrRejectsWithAReason(byte @WithLength(max = MAX_INPUT_BYTES) [] input)
      throws IOException {
    readHeaderWithinSmallLimit(input);
    MetaImage read;
    try {
      read = READER.read(input);
    } catch (MetaImageException e) {
      CONTRACT.checkRejection(e);
      if (e.reason() == ReasonCode.DATA_FILE_UNRESOLVABLE) {
        readDetached(input);
      }
      return;
    }
    CONTRACT.checkAccepted(read);
    assertThat(read.header().dataIsLocal()).isTrue();
    assertThat(READER.readHeader(input)).isEqualTo(read.header());
    Files.write(mhaFile, input);
    assertSameImage(READER.read(mhaFile), read);
    assertSurvivesWriteAndRead(read);
  }

  /**
   * The seeds are valid images, of several element types, 2-D and 3-D, compressed or not, inline or
   * detached: fuzzing starts from inputs that pass every check, and a seed that rots fails here
   * rather than silently starting the fuzzer from a rejection.
   */
  @Test
  void everySeedIsAcceptedWhole() throws Exception {
    Path seeds = Path.of(MetaImageReaderFuzzTest.class.getResource(SEEDS).toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(seeds)) {
      files = listing.filter(f -> f.toString().matches(".*\\.mh[ad]")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path file : files) {
      byte[] input = Files.readAllBytes(file);
      MetaImage read =
          file.toString().endsWith(".mhd") ? readWithDataFile(input) : READER.read(input);
      CONTRACT.checkAccepted(read);
    }
  }

  /**
   * Only the header, under a 256-byte header limit: a rejection keeps the contract, and a header
   * accepted under the small limit is accepted the same under the larger one.
   */
  private static void readHeaderWithinSmallLimit(byte[] input) throws MetaImageException {
    MetaImageHeader header;
    try {
      header = SMALL_HEADER_READER.readHeader(input);
    } catch (MetaImageException e) {
      SMALL_HEADER_CONTRACT.checkRejection(e);
      return;
    }
    assertThat(READER.readHeader(input)).isEqualTo(header);
  }

  /** The input as an .mhd header whose data file holds the bytes after the header. */
  private static void readDetached(byte[] input) throws IOException {
    MetaImage read;
    try {
      read = readWithDataFile(input);
    } catch (MetaImageException e) {
      CONTRACT.checkRejection(e);
      return;
    }
    CONTRACT.checkAccepted(read);
    assertSurvivesWriteAndRead(read);
  }

  private static MetaImage readWithDataFile(byte[] input) throws IOException {
    // Where the reader stopped reading the header: it scans at most maxHeaderBytes.
    int head = Math.min(input.length, LIMITS.maxHeaderBytes());
    long headerEnd = HeaderScanner.scan(input, head, head == input.length, LIMITS).dataOffset();
    Files.write(
        study.resolve("image.raw"), Arrays.copyOfRange(input, (int) headerEnd, input.length));
    return READER.read(input, DataFileResolver.confinedTo(study));
  }

  private static void assertSurvivesWriteAndRead(MetaImage read) throws IOException {
    MetaImageWriter.Compression compression =
        read.header().compressed()
            ? MetaImageWriter.Compression.ZLIB
            : MetaImageWriter.Compression.NONE;
    byte[] written = MetaImageWriter.toMhaBytes(read.image(), compression);
    Image again = READER.read(written).image();
    assertThat(again.geometry()).isEqualTo(read.image().geometry());
    assertThat(again.type()).isEqualTo(read.image().type());
    assertThat(again.data()).isEqualTo(read.image().data());
  }

  private static void assertSameImage(MetaImage actual, MetaImage expected) {
    assertThat(actual.header()).isEqualTo(expected.header());
    assertThat(actual.image().data()).isEqualTo(expected.image().data());
  }
}
