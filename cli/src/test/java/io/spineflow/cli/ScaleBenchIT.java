package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.bench.ScaleBench;
import io.spineflow.model.UNetConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench scale}, short: one round of 48 slices of 64×64 for a width-8 model through one
 * inference instance and through two (each its own JVM from the packaged launcher), and the report
 * checked against what happened: a rate for each side, the ratio their quotient, both instances of
 * the second side committed slices, and no mask duplicated.
 */
class ScaleBenchIT {
  @TempDir Path dir;

  @Test
  void oneShortRoundReportsBothSidesAndTheirRatio() throws Exception {
    int slices = 48;
    UNetConfig tiny = UNetConfig.defaults().withWidths(8, 3, 8 << 3).withInputSize(64, 64);
    StringWriter console = new StringWriter();
    ScaleBench.Report report;
    try (PrintWriter out = new PrintWriter(console)) {
      report =
          ScaleBench.run(
              new ScaleBench.Options(
                  tiny,
                  slices,
                  1,
                  0,
                  8,
                  List.of("-Xmx256m"),
                  PackagedLauncher.classpath(),
                  dir.resolve("out"),
                  Duration.ofMinutes(3)),
              out);
    }
    String text = console.toString();
    System.out.println(text);
    assertThat(report.oneRate()).as(text).isPositive();
    assertThat(report.twoRate()).isPositive();
    assertThat(report.ratio()).isCloseTo(report.twoRate() / report.oneRate(), within(1e-9));
    assertThat(report.duplicates()).isZero();
    // One instance on "one", then the two of "two": every slice committed once per side.
    assertThat(report.perInstance()).hasSize(3);
    assertThat(report.perInstance().get(0)).isEqualTo(slices);
    assertThat(report.perInstance().subList(1, 3))
        .allSatisfy(n -> assertThat(n).as("each of the two took a share").isPositive());
    assertThat(report.perInstance().get(1) + report.perInstance().get(2)).isEqualTo(slices);
    assertThat(text).contains("round 1: one instance", "slices committed per instance");
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
