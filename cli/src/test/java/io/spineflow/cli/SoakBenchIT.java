package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.bench.SoakBench;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench soak}, short: studies through ingest, preprocess and inference, each service its own
 * JVM started from the packaged launcher, and the report checked against what really happened:
 * every emitted slice masked, lag back to 0, an RSS for every service in every sample, a PNG that
 * decodes. {@code -Dsoak.studies=1000} runs the full soak instead.
 */
class SoakBenchIT {
  @TempDir Path dir;

  @Test
  void aShortSoakReportsWhatHappened() throws Exception {
    int studies = Integer.getInteger("soak.studies", 24);
    String classpath = PackagedLauncher.classpath();
    SoakBench.Options options =
        SoakBench.Options.defaults(dir.resolve("out"), classpath)
            .withStudies(studies)
            .withTimeout(Duration.ofMinutes(Math.max(3, studies / 10)));
    StringWriter console = new StringWriter();
    SoakBench.Report report;
    try (PrintWriter out = new PrintWriter(console)) {
      report = SoakBench.run(options, out);
    }
    String text = console.toString();
    System.out.println(text);
    assertThat(report.failure()).as(text).isNull();

    assertThat(report.studiesSent()).isEqualTo(studies);
    assertThat(report.studiesComplete()).as(text).isEqualTo(studies);
    assertThat(report.slicesEmitted()).as(text).isGreaterThanOrEqualTo(studies);
    assertThat(report.masks()).as(text).isEqualTo(report.slicesEmitted());
    assertThat(report.duplicateMasks()).isZero();
    assertThat(report.deadLetters()).isZero();
    assertThat(report.allMasked()).isTrue();
    assertThat(report.latencyMillis()).hasSize(studies).allSatisfy(l -> assertThat(l).isPositive());
    assertThat(report.studiesPerSecond()).isPositive();

    assertThat(report.maxLag()).containsOnlyKeys(SoakBench.SERVICES);
    assertThat(report.endLag()).as(text).containsOnlyKeys(SoakBench.SERVICES);
    assertThat(report.lagReturnedToZero()).as(text).isTrue();

    assertThat(report.memory())
        .extracting(SoakBench.ServiceMemory::service)
        .containsExactlyElementsOf(SoakBench.SERVICES);
    assertThat(report.memory())
        .allSatisfy(
            m -> {
              assertThat(m.samples()).isEqualTo(report.samples());
              // A JVM with Kafka clients is tens of MiB at least; less would not be an RSS.
              assertThat(m.minBytes()).isGreaterThan(32L << 20);
              assertThat(m.warmupBytes()).isPositive();
              assertThat(m.endBytes()).isPositive();
            });

    List<String> rows = Files.readAllLines(report.samplesCsv(), StandardCharsets.UTF_8);
    assertThat(rows).hasSize(report.samples() + 1);
    List<String> header = Arrays.asList(rows.get(0).split(","));
    for (String service : SoakBench.SERVICES) {
      int column = header.indexOf("rss_mib_" + service);
      assertThat(column).isNotNegative();
      assertThat(rows.subList(1, rows.size()))
          .allSatisfy(r -> assertThat(Double.parseDouble(r.split(",")[column])).isPositive());
    }
    assertThat(Files.readAllLines(report.studiesCsv())).hasSize(studies + 1);

    BufferedImage png = ImageIO.read(report.png().toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isGreaterThanOrEqualTo(800);
    assertThat(png.getHeight()).isGreaterThanOrEqualTo(600);
    assertThat(text)
        .contains("every slice of every study masked")
        .contains("back to 0")
        .containsPattern("p50 \\d+ ms, p95 \\d+ ms, p99 \\d+ ms, max \\d+ ms")
        .contains("ingest", "preprocess", "inference");
  }
}
