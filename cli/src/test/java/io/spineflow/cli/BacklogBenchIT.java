package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.bench.BacklogBench;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench backlog}, short: 1,500 slices waiting before inference (its own JVM, from the
 * packaged launcher) gets its model, and the report checked against what happened: every slice one
 * mask, held slices within the bound in the service's own high-water mark, an RSS and the gauges in
 * every sample, lag back to 0. {@code -Dbacklog.slices=50000} runs the full benchmark instead.
 */
class BacklogBenchIT {
  @TempDir Path dir;

  @Test
  void aShortBacklogReportsWhatHappened() throws Exception {
    int slices = Integer.getInteger("backlog.slices", 1_500);
    StringWriter console = new StringWriter();
    BacklogBench.Report report;
    try (PrintWriter out = new PrintWriter(console)) {
      report =
          BacklogBench.run(
              new BacklogBench.Options(
                  slices,
                  64,
                  8,
                  List.of("-Xmx256m"),
                  PackagedLauncher.classpath(),
                  dir.resolve("out"),
                  Duration.ofMinutes(Math.max(5, slices / 2_000))),
              out);
    }
    String text = console.toString();
    System.out.println(text);
    assertThat(report.masks()).as(text).isEqualTo(slices);
    assertThat(report.distinctMasks()).isEqualTo(slices);
    assertThat(report.exactlyOnce()).isTrue();
    assertThat(report.bound()).isEqualTo(16);
    assertThat(report.heldMax()).as("the service's high-water mark").isBetween(1, 16);
    assertThat(report.lagZero()).as("lag back to 0").isTrue();
    assertThat(report.samples())
        .isNotEmpty()
        .allSatisfy(
            s -> {
              assertThat(s.rssBytes()).isGreaterThan(32L << 20);
              assertThat(s.held()).isBetween(0, 16);
              assertThat(s.heldMax()).isBetween(0, 16);
            });
    assertThat(report.rssEarly()).isPositive();
    assertThat(report.rssGrowth()).isPositive();
    assertThat(Files.readAllLines(dir.resolve("out/backlog.csv")))
        .hasSize(report.samples().size() + 1);
  }
}
