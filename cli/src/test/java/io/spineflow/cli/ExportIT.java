package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.events.Segmentation;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.StudyResults;
import io.spineflow.testkit.TestTopics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./spineflow export} on the embedded broker and a file blob store: two revisions of one
 * study (and another study after them) are published as the results service would; the latest
 * revision is exported, and its files read back equal what was published (the label volume by
 * MetaImage reader, the SEG by dcmtk's dcmdump, the levels CSV, the JSON); an existing export is
 * kept unless {@code --force}; an unknown study is refused in one line naming it.
 */
class ExportIT {
  private static final String STUDY = "1.2.826.0.1.3680043.8.498.17";

  @Test
  void theLatestRevisionIsExportedAndReadsBackAsPublished(@TempDir Path dir) throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    Path data = dir.resolve("data");
    FileBlobStore blobs = new FileBlobStore(data.resolve("claims"), 1L << 30);
    Instant t = Instant.parse("2026-12-06T20:00:00Z");
    StudyResults.Built first = StudyResults.of(STUDY, 3, blobs, t, 1);
    StudyResults.Built latest = StudyResults.of(STUDY, 4, blobs, t.plusSeconds(600), 1, 2);
    StudyResults.Built other = StudyResults.of("other-study", 3, blobs, t.plusSeconds(900), 2);
    StudyResults.publish(
        bootstrap, topics.segmentations(), first.event(), latest.event(), other.event());
    Path out = dir.resolve("out");

    SpineflowTest.Result r = export(bootstrap, topics, data, STUDY, out);

    assertThat(r.code()).as(r.err()).isZero();
    Image labels = new MetaImageReader().read(out.resolve(STUDY + "-labels.mha")).image();
    assertThat(labels.geometry().size()).containsExactly(latest.label().geometry().size());
    assertThat(labels.data()).isEqualTo(latest.label().data());
    assertThat(labels.data()).isNotEqualTo(first.label().data());
    assertThat(Files.readAllBytes(out.resolve(STUDY + "-seg.dcm"))).isEqualTo(latest.segPart10());
    assertThat(Files.readAllBytes(out.resolve(STUDY + "-sr.dcm"))).isEqualTo(latest.srPart10());
    assertLevelsCsv(out.resolve(STUDY + "-levels.csv"), latest);
    assertResultJson(out.resolve(STUDY + "-result.json"), latest.event());
    assertSegByDcmdump(out.resolve(STUDY + "-seg.dcm"), latest.event());

    SpineflowTest.Result again = export(bootstrap, topics, data, STUDY, out);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err().strip()).contains("exists").contains("--force").doesNotContain("\n");
    assertThat(export(bootstrap, topics, data, STUDY, out, "--force").code()).isZero();

    SpineflowTest.Result unknown = export(bootstrap, topics, data, "no.such.study", out);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err().strip())
        .isEqualTo(
            "spineflow: export: no result for study no.such.study on "
                + topics.segmentations().name());
  }

  private static void assertLevelsCsv(Path csv, StudyResults.Built built) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo(LevelReport.CSV_HEADER);
    List<LevelMeasurement> levels = built.report().levels();
    assertThat(lines).hasSize(levels.size() + 1);
    assertThat(levels.stream().filter(l -> l.name().equals("L4/L5")).count()).isOne();
    for (int i = 0; i < levels.size(); i++) {
      LevelMeasurement l = levels.get(i);
      String[] cells = lines.get(i + 1).split(",", -1);
      assertThat(cells[1]).isEqualTo(l.name());
      assertThat(cells[2]).isEqualTo(l.kind().name().toLowerCase(Locale.ROOT));
      assertThat(cells[5]).as(l.name() + " position (not in the event)").isEmpty();
      assertThat(cells[6]).as(l.name()).isEqualTo(cell(l.anteriorMm()));
      assertThat(cells[7]).as(l.name()).isEqualTo(cell(l.middleMm()));
      assertThat(cells[9]).as(l.name()).isEqualTo(cell(l.canalApMm()));
    }
  }

  private static String cell(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static void assertResultJson(Path file, Segmentation event) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("studyUid").asText()).isEqualTo(STUDY);
    assertThat(json.get("contentSha256").asText()).isEqualTo(event.getContentSha256());
    assertThat(json.get("mixedModelVersions").asBoolean()).isTrue();
    assertThat(json.get("models")).hasSize(2);
    assertThat(json.get("models").get(1).get("modelVersion").asInt()).isEqualTo(2);
    assertThat(json.get("completedAt").asText()).isEqualTo(event.getCompletedAt().toString());
    assertThat(json.get("classVolumes").get(2).get("millilitres").asDouble())
        .isEqualTo(event.getClassVolumes().get(2).getMillilitres());
    assertThat(json.get("quality").get("meanDice").get("discs").asDouble()).isEqualTo(0.88);
    assertThat(json.get("levels")).hasSize(event.getLevels().size());
    assertThat(json.get("labelVolume").get("blob").asText())
        .isEqualTo(event.getLabelVolume().getBlob());
  }

  /** dcmtk reads the exported SEG as the Segmentation the event names. */
  private static void assertSegByDcmdump(Path seg, Segmentation event) throws Exception {
    assumeTrue(onPath("dcmdump"), "dcmtk's dcmdump is not on the PATH");
    Process p = new ProcessBuilder("dcmdump", seg.toString()).redirectErrorStream(true).start();
    String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(dump).isZero();
    assertThat(dump)
        .contains("=SegmentationStorage")
        .contains("[" + event.getDicomSegmentation().getSopInstanceUid() + "]")
        .contains("[" + event.getDicomSegmentation().getSeriesInstanceUid() + "]");
  }

  private static SpineflowTest.Result export(
      String bootstrap, Topics topics, Path data, String study, Path out, String... more) {
    String[] args = {
      "export",
      study,
      "--out",
      out.toString(),
      "--bootstrap-servers",
      bootstrap,
      "--topic-prefix",
      topics.prefix(),
      "--data-dir",
      data.toString()
    };
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return SpineflowTest.run(all);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
