package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of {@link DicomReader} (issue #18) with Jazzer. Whatever the bytes, the
 * reader either returns an image that {@link DicomReaderContract#checkAccepted} finds consistent,
 * or throws a {@link DicomException} that {@link DicomReaderContract#checkRejection} finds
 * well-formed. Any other exception or error (NPE, index out of bounds, NumberFormatException,
 * NegativeArraySizeException, OutOfMemoryError, StackOverflowError, a hang...) escapes the test and
 * is a finding.
 *
 * <p>Each input is read whole (pixels decoded) under small limits, then again under tiny ones (so
 * the element, depth, item and frame limits are tried on nearly every input, not only on the rare
 * ones that grow past the small limits); a file accepted under the tiny limits must decode the same
 * under the small ones. A rejected input's data set alone ({@link DicomReader#readFile}) must also
 * be read or rejected within the contract. An accepted input then goes through series assembly
 * ({@link MrInstance#read}, {@link SeriesAssembler}), which refuses only with a {@link
 * SeriesException}.
 *
 * <p>Seeds and past findings are in {@code DicomReaderFuzzTestInputs/readsOrRejectsWithAReason}:
 * tiny files cut from the vendored test files (8×8 MR_small and a 2-frame 4×4 Enhanced MR, written
 * in every transfer syntax with DCMTK) and the vendored files short enough to be fuzz inputs. How
 * long the build fuzzes is set in {@code imaging/pom.xml} (see {@code imaging/README.md}).
 */
class DicomReaderFuzzTest {
  private static final String SEEDS = "DicomReaderFuzzTestInputs/readsOrRejectsWithAReason";
  // Jazzer mutates byte arrays up to 1000 bytes unless told otherwise: too short for most seeds.
  private static final int MAX_INPUT_BYTES = 8192;
  private static final DicomLimits LIMITS = new DicomLimits(64 * 1024, 4096, 8, 256, 16, 64 * 1024);
  private static final DicomReader READER = new DicomReader(LIMITS);
  private static final DicomReaderContract CONTRACT = new DicomReaderContract(LIMITS);
  private static final DicomLimits TINY_LIMITS = new DicomLimits(4096, 64, 2, 8, 1, 256);
  private static final DicomReader TINY_READER = new DicomReader(TINY_LIMITS);
  private static final DicomReaderContract TINY_CONTRACT = new DicomReaderContract(TINY_LIMITS);

  // Words of the format (tags, element headers, UIDs, JPEG markers) in a libFuzzer dictionary
  // file: Jazzer writes @DictionaryEntries escaped, so they cannot hold binary bytes.
  @DictionaryFile(resourcePath = "DicomReaderFuzzTest.dict")
  @FuzzTest(maxDuration = "20s")
  void readsOrRejectsWithAReason(byte @WithLength(max = MAX_INPUT_BYTES) [] input)
      throws Exception {
    DicomImage tiny = readWithin(TINY_READER, TINY_CONTRACT, input);
    DicomImage read = readWithin(READER, CONTRACT, input);
    if (tiny != null) {
      assertThat(read).as("accepted under tiny limits, so under larger ones").isNotNull();
      assertSameFrames(tiny, read);
    }
    if (read != null) {
      assembleWithin(input);
    }
  }

  /**
   * An image the reader accepts goes on into series assembly as a one-instance series: it becomes a
   * volume of its frames or is refused with a {@link SeriesException} carrying a reason and a
   * field-naming message; nothing else escapes.
   */
  private static void assembleWithin(byte[] input) throws DicomException {
    try {
      DicomVolume volume = new SeriesAssembler().assemble(List.of(MrInstance.read(READER, input)));
      assertThat(volume.image().voxelCount()).isPositive();
    } catch (SeriesException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.getMessage()).isNotBlank().hasSizeLessThanOrEqualTo(2000);
    }
  }

  /**
   * The seeds are valid files of every decodable transfer syntax (and one refused): fuzzing starts
   * from inputs that pass every check, and a seed that rots fails here rather than silently
   * starting the fuzzer from a rejection.
   */
  @Test
  void everySeedIsReadWhole() throws Exception {
    Path seeds = Path.of(DicomReaderFuzzTest.class.getResource(SEEDS).toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(seeds)) {
      files = listing.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(12);
    for (Path file : files) {
      byte[] input = Files.readAllBytes(file);
      assertThat(input.length)
          .as("%s fits a fuzz input", file)
          .isLessThanOrEqualTo(MAX_INPUT_BYTES);
      DicomFile read = READER.readFile(input);
      if (read.transferSyntax().decodable()) {
        CONTRACT.checkAccepted(READER.read(input));
      }
    }
  }

  private static DicomImage readWithin(DicomReader reader, DicomReaderContract contract, byte[] in)
      throws Exception {
    try {
      DicomImage image = reader.read(in);
      contract.checkAccepted(image);
      return image;
    } catch (DicomException e) {
      contract.checkRejection(e);
    }
    try {
      reader.readFile(in);
    } catch (DicomException e) {
      contract.checkRejection(e);
    }
    return null;
  }

  private static void assertSameFrames(DicomImage expected, DicomImage actual) {
    assertThat(actual.pixels()).isEqualTo(expected.pixels());
    for (int i = 0; i < expected.frames().size(); i++) {
      assertThat(actual.frames().get(i).values()).isEqualTo(expected.frames().get(i).values());
    }
  }
}
