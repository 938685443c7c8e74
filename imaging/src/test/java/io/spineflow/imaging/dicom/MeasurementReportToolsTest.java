package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.MeasurementReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Written measurement reports checked by other implementations: dicom3tools' {@code dciodvfy} finds
 * no error and only the accepted warnings ({@link #ACCEPTED_WARNINGS}); DCMTK's {@code dsrdump}
 * reads the document with its checks on (relationship constraints of the IOD, VRs) and prints every
 * level, and {@code dcmdump} reads the file without a warning. Each check is skipped where its tool
 * is not installed ({@code apt-get install -y dcmtk dicom3tools}).
 */
class MeasurementReportToolsTest {
  /**
   * dciodvfy's warnings that are accepted, the same two as for the Segmentations ({@link
   * SegmentationWriterToolsTest#ACCEPTED_WARNINGS}), each for its reason:
   *
   * <ul>
   *   <li>Patient's Name "HFS" is the vendored sagittal T1's own value, copied unchanged (dciodvfy
   *       says the same of the source file);
   *   <li>a volume without DICOM (the phantom) has no Study Date, Study Time or Study ID (type 2,
   *       written empty); dciodvfy only notes that a DICOMDIR would want them.
   * </ul>
   *
   * No warning about the SR content, its codes or its units is accepted.
   */
  static final List<Pattern> ACCEPTED_WARNINGS =
      List.of(
          SegmentationWriterToolsTest.ACCEPTED_WARNINGS.get(0),
          SegmentationWriterToolsTest.ACCEPTED_WARNINGS.get(2));

  @TempDir Path dir;

  static MeasurementReportWriter.Written write(String name) throws Exception {
    return name.equals("phantom")
        ? writePhantom(phantomReport())
        : writeSagittalReport(sagittalReport());
  }

  @ParameterizedTest
  @ValueSource(strings = {"phantom", "sagittal"})
  void dciodvfyFindsNoError(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dciodvfy"),
        "dicom3tools' dciodvfy is not on the PATH (apt-get install -y dicom3tools)");
    Path file = Files.write(dir.resolve(name + ".dcm"), write(name).part10());

    String output = run("dciodvfy", file.toString());

    assertThat(output).contains("EnhancedSR");
    ForeignTools.assertNoErrorAndOnlyAcceptedWarnings(output, ACCEPTED_WARNINGS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"phantom", "sagittal"})
  void dsrdumpReadsTheDocument(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dsrdump"),
        "DCMTK's dsrdump is not on the PATH (apt-get install -y dcmtk)");
    MeasurementReportWriter.Written written = write(name);
    Path file = Files.write(dir.resolve(name + ".dcm"), written.part10());

    String dump = run("dsrdump", "+Pt", "+Pc", file.toString());

    assertThat(dump).doesNotContain("W: ").doesNotContain("E: ");
    assertThat(dump).contains("Enhanced SR Document").contains("Imaging Measurement Report");
    for (String level : written.groups()) {
      assertThat(dump).contains("\"" + level + " ");
    }
    assertThat(dump.lines().filter(l -> l.contains("<contains NUM:")).count())
        .isEqualTo(written.measurements());
  }

  @ParameterizedTest
  @ValueSource(strings = {"phantom", "sagittal"})
  void dcmdumpReadsItWithoutWarnings(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dcmdump"),
        "DCMTK's dcmdump is not on the PATH (apt-get install -y dcmtk)");
    MeasurementReportWriter.Written written = write(name);
    Path file = Files.write(dir.resolve(name + ".dcm"), written.part10());

    String dump = run("dcmdump", "-dc", "+L", file.toString());

    assertThat(dump).doesNotContain("W: ").doesNotContain("E: ");
    assertThat(dump).contains("(0008,0018) UI [" + written.sopInstanceUid() + "]");
  }

  private String run(String... command) throws Exception {
    return ForeignTools.run(dir, command);
  }
}
