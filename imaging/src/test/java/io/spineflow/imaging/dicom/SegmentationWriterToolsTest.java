package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Written Segmentations checked by other implementations: dicom3tools' {@code dciodvfy} finds no
 * error and only the accepted warnings ({@link #ACCEPTED_WARNINGS}), DCMTK's {@code dcmdump} reads
 * them without a warning, and pydicom ({@code files/seg/check_seg.py}) sees the frames, segments,
 * positions and pixels written. Each check is skipped where its tool is not installed ({@code
 * apt-get install -y dcmtk dicom3tools}; pydicom and numpy importable by {@code python3}).
 */
class SegmentationWriterToolsTest {
  /**
   * dciodvfy's warnings that are accepted, each for a reason:
   *
   * <ul>
   *   <li>Patient's Name "HFS" is the vendored sagittal T1's own value, copied unchanged (dciodvfy
   *       says the same of the source file);
   *   <li>{@code 99SPINEFLOW} is spineflow's local coding scheme (the disc without level has no
   *       DICOM code); local designators are allowed (PS3.16 8.2) but not in dciodvfy's list;
   *   <li>a volume without DICOM has no Study Date, Study Time or Study ID (type 2, written empty);
   *       dciodvfy only notes that a DICOMDIR would want them.
   * </ul>
   */
  static final List<Pattern> ACCEPTED_WARNINGS =
      List.of(
          Pattern.compile(".*Value dubious for this VR.*PN.*<HFS> - Retired Person Name form"),
          Pattern.compile(
              ".*Unrecognized defined term <99SPINEFLOW> for value 1 of attribute <Coding Scheme"
                  + " Designator>"),
          Pattern.compile(
              ".*Missing attribute or value that would be needed to build DICOMDIR - Study"
                  + " (Date|Time|ID)"));

  @TempDir Path dir;

  /** One written Segmentation and what was written. */
  record Case(SegmentationWriter.Written written, Image label, BitSet segmented, boolean classes) {}

  static Case write(String name) throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    return switch (name) {
      case "levels" -> {
        BitSet segmented = slices(8, 0, 5);
        yield new Case(
            SegmentationWriterTest.writeSagittal(SegmentationWriter.Labelling.LEVELS, segmented),
            sagittalLabels(volume),
            segmented,
            false);
      }
      case "classes" -> {
        BitSet segmented = slices(8, 7);
        yield new Case(
            SegmentationWriterTest.writeSagittal(SegmentationWriter.Labelling.CLASSES, segmented),
            sagittalLabels(volume),
            segmented,
            true);
      }
      case "multiframe" -> {
        BitSet segmented = slices(8, 3);
        yield new Case(
            SegmentationWriterTest.writeFromEnhanced(segmented),
            sagittalLabels(volume),
            segmented,
            false);
      }
      default -> {
        BitSet segmented = slices(6, 2);
        yield new Case(
            SegmentationWriterTest.writeMetaImage(segmented), metaImageLabels(), segmented, false);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"levels", "classes", "metaimage", "multiframe"})
  void dciodvfyFindsNoError(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dciodvfy"),
        "dicom3tools' dciodvfy is not on the PATH (apt-get install -y dicom3tools)");
    Path file = Files.write(dir.resolve(name + ".dcm"), write(name).written().part10());

    String output = run("dciodvfy", file.toString());

    assertThat(output).contains("Segmentation");
    ForeignTools.assertNoErrorAndOnlyAcceptedWarnings(output, ACCEPTED_WARNINGS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"levels", "classes", "metaimage", "multiframe"})
  void dcmdumpReadsItWithoutWarnings(String name) throws Exception {
    assumeTrue(
        DcmtkSeriesVariantsTest.onPath("dcmdump"),
        "DCMTK's dcmdump is not on the PATH (apt-get install -y dcmtk)");
    Case c = write(name);
    Path file = Files.write(dir.resolve(name + ".dcm"), c.written().part10());

    String dump = run("dcmdump", "-dc", "+L", file.toString());

    assertThat(dump).doesNotContain("W: ").doesNotContain("E: ");
    int frames = c.written().frames();
    assertThat(dump).contains("(0028,0008) IS [" + frames + "]");
    assertThat(dump).contains("(0008,0018) UI [" + c.written().sopInstanceUid() + "]");
    // One Referenced Segment Number per frame, each segment on every segmented slice.
    for (SegmentationWriter.Segment s : c.written().segments()) {
      long mentions =
          dump.lines()
              .filter(l -> l.strip().startsWith("(0062,000b) US " + s.number() + " "))
              .count();
      assertThat(mentions).as("segment %d", s.number()).isEqualTo(c.segmented().cardinality());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"levels", "classes", "metaimage", "multiframe"})
  void pydicomSeesTheFramesWritten(String name) throws Exception {
    assumeTrue(pydicomAvailable(), "python3 with pydicom and numpy is not available");
    Case c = write(name);
    Path file = Files.write(dir.resolve(name + ".dcm"), c.written().part10());
    Path script = Files.write(dir.resolve("check_seg.py"), DicomFiles.bytes("seg/check_seg.py"));

    List<String> lines = run("python3", script.toString(), file.toString()).lines().toList();

    List<String> expected = new ArrayList<>();
    expected.add("frames " + c.written().frames());
    for (SegmentationWriter.Segment s : c.written().segments()) {
      expected.add(
          "segment "
              + s.number()
              + " "
              + s.type().scheme()
              + " "
              + s.type().value()
              + " "
              + s.type().meaning().replace(' ', '_')
              + " AUTOMATIC");
    }
    assertThat(lines.subList(0, expected.size())).containsExactlyElementsOf(expected);
    List<String> frames = lines.subList(expected.size(), lines.size());
    assertThat(frames).hasSize(c.written().frames());
    ImageGeometry g = c.label().geometry();
    int plane = g.size()[0] * g.size()[1];
    int f = 0;
    for (SegmentationWriter.Segment s : c.written().segments()) {
      for (int k = c.segmented().nextSetBit(0); k >= 0; k = c.segmented().nextSetBit(k + 1)) {
        String[] parts = frames.get(f++).split(" ");
        long count = 0;
        long sum = 0;
        for (int p = 0; p < plane; p++) {
          if (expected(c.label(), c.segmented(), (long) k * plane + p, c.classes())
              == s.labelValue()) {
            count++;
            sum += p;
          }
        }
        assertThat(parts[1]).isEqualTo(String.valueOf(s.number()));
        String[] xyz = parts[2].split("\\\\");
        double[] position = SegmentationFrames.position(g, k);
        for (int i = 0; i < 3; i++) {
          assertThat(Double.parseDouble(xyz[i])).isCloseTo(position[i], within(1e-5));
        }
        assertThat(Long.parseLong(parts[3])).as("frame %d pixels", f).isEqualTo(count);
        assertThat(Long.parseLong(parts[4])).as("frame %d index sum", f).isEqualTo(sum);
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private boolean pydicomAvailable() throws Exception {
    if (!DcmtkSeriesVariantsTest.onPath("python3")) {
      return false;
    }
    Process p =
        new ProcessBuilder("python3", "-c", "import pydicom, numpy")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("probe.log").toFile())
            .start();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private String run(String... command) throws Exception {
    return ForeignTools.run(dir, command);
  }
}
