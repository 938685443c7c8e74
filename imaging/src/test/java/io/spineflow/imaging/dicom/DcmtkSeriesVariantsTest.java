package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real sagittal series rewritten by another tool, DCMTK's {@code dcmconv} (implicit VR, big
 * endian, deflated), assembles into the same volume as the original. Runs only where DCMTK is
 * installed ({@code apt-get install -y dcmtk}); skipped otherwise.
 */
class DcmtkSeriesVariantsTest {
  private static final DicomReader READER = new DicomReader();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"+ti, 1.2.840.10008.1.2", "+tb, 1.2.840.10008.1.2.2", "+td, 1.2.840.10008.1.2.1.99"})
  void dcmconvVariantsAssembleIdentically(String option, String syntax) throws Exception {
    assumeTrue(onPath("dcmconv"), "DCMTK's dcmconv is not on the PATH (apt-get install -y dcmtk)");
    List<MrInstance> original = new ArrayList<>();
    List<MrInstance> converted = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      byte[] bytes = DicomFiles.bytes("sag_t1_000" + n + ".dcm");
      original.add(MrInstance.read(READER, bytes));
      Path in = Files.write(dir.resolve("in" + n + ".dcm"), bytes);
      Path out = dir.resolve("out" + n + ".dcm");
      Process p =
          new ProcessBuilder("dcmconv", option, in.toString(), out.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("dcmconv.log").toFile())
              .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("dcmconv.log"))).isZero();
      MrInstance read = MrInstance.read(READER, Files.readAllBytes(out));
      assertThat(read.image().file().transferSyntax().uid()).isEqualTo(syntax);
      converted.add(read);
    }

    DicomVolume a = new SeriesAssembler().assemble(original);
    DicomVolume b = new SeriesAssembler().assemble(converted);

    assertThat(b.image().geometry()).isEqualTo(a.image().geometry());
    assertThat(b.image().data()).isEqualTo(a.image().data());
  }

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, tool))) {
        return true;
      }
    }
    return false;
  }
}
