package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * De-identified files checked by other tools: DCMTK's {@code dcmdump} reads them without a warning
 * and sees no original identifying value; dicom3tools' {@code dciodvfy} finds no error the original
 * did not have. Each check runs only where its tool is installed ({@code apt-get install -y dcmtk
 * dicom3tools}); skipped otherwise.
 */
class DeidentifiedFilesDcmtkTest {
  private static final DicomReader READER = new DicomReader();
  private static final Deidentifier DEIDENTIFIER = new Deidentifier(DeidentifierTest.KEY, READER);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sag_t1_0001.dcm",
        "enhanced_mr_6_1.dcm",
        "MR_small.dcm",
        "MR_small_RLE.dcm",
        "MR_small_implicit.dcm"
      })
  void dcmdumpReadsTheFileWithoutWarnings(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dcmdump"),
        "DCMTK's dcmdump is not on the PATH (apt-get install -y dcmtk)");
    byte[] original = DicomFiles.bytes(name);
    Path file = Files.write(dir.resolve("deid.dcm"), DEIDENTIFIER.deidentify(original).bytes());

    String dump = run("dcmdump", "-dc", "+L", file.toString());

    assertThat(dump).doesNotContain("W: ").doesNotContain("E: ");
    assertThat(dump).contains("(0012,0062) CS [YES").contains("(0008,0100) SH [113100]");
    for (String identifying :
        DeidentifierTest.identifyingValues(READER.readFile(original).dataset())) {
      assertThat(dump).doesNotContain(identifying);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sag_t1_0001.dcm", "enhanced_mr_6_1.dcm", "MR_small.dcm", "MR_small_implicit.dcm"})
  void dciodvfyFindsNoNewError(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dciodvfy"),
        "dicom3tools' dciodvfy is not on the PATH (apt-get install -y dicom3tools)");
    Path original = Files.write(dir.resolve("original.dcm"), DicomFiles.bytes(name));
    Path deidentified =
        Files.write(
            dir.resolve("deid.dcm"), DEIDENTIFIER.deidentify(DicomFiles.bytes(name)).bytes());

    List<String> before = errors(run("dciodvfy", original.toString()));
    List<String> after = errors(run("dciodvfy", deidentified.toString()));

    assertThat(after).isSubsetOf(before);
  }

  /** dciodvfy's "Error - ..." lines, without the file-specific prefix. */
  private static List<String> errors(String output) {
    return output.lines().filter(l -> l.startsWith("Error")).map(String::strip).distinct().toList();
  }

  private String run(String... command) throws Exception {
    return ForeignTools.run(dir, command);
  }
}
