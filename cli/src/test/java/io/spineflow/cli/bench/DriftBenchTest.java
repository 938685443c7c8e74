package io.spineflow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.PartialLabelStudies;
import io.spineflow.cli.Spineflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench drift} on small phantom "real" studies, an untrained model and a scaled-down rule
 * (the dashboard's drift settings given as options): the shape of its report.
 */
class DriftBenchTest {
  @TempDir Path dir;

  /**
   * {@code count} disc-labelled phantom studies (size 0.5) with their manifest, in {@code data}.
   */
  private static Path discStudies(Path data, int count, long firstSeed) throws Exception {
    StringBuilder manifest = new StringBuilder("name\tset\tsequence\tlabelled\n");
    for (int s = 0; s < count; s++) {
      PartialLabelStudies.write(data, "ivd_" + s, firstSeed + s, PartialLabelStudies.DISCS);
      manifest.append("ivd_").append(s).append("\tIVD\tT2\tdiscs\n");
    }
    Files.writeString(data.resolve("manifest.tsv"), manifest);
    return data;
  }

  @Test
  void replaysTheRuleOverEverySplitAndTheControlAndEndsWithTheFalseAlarms() throws Exception {
    Path data = discStudies(dir.resolve("real"), 4, 50);
    Path model = PartialLabelStudies.untrainedModel(dir.resolve("models"));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Spineflow.run(
            new String[] {
              "bench",
              "drift",
              "--data",
              data.toString(),
              "--model",
              model.toString(),
              "--phantoms",
              "2",
              "--splits",
              "2",
              "--seed",
              "3",
              "--dashboard-drift-reference-size",
              "10",
              "--dashboard-drift-window-size",
              "12",
              "--dashboard-drift-window-min",
              "8",
              "--dashboard-drift-evaluate-every",
              "2"
            },
            new PrintWriter(out),
            new PrintWriter(err));

    assertThat(code).as(err.toString()).isZero();
    String report = out.toString();
    assertThat(report)
        .contains("rule: reference 10 slices, window 12 (min 8), every 2")
        .containsPattern("4 real studies: \\d+ slices in the spine region")
        .containsPattern("\\| 1 \\| real → real \\| \\d+ \\| [1-9]\\d* \\| \\d+ \\| ")
        .containsPattern("\\| 2 \\| real → shifted \\| \\d+ \\| [1-9]\\d* \\| \\d+ \\| ")
        .containsPattern("\\| control \\| phantoms → shifted phantoms \\| \\d+ \\| ")
        .containsPattern("real → real fired in [0-2] of 2 splits \\(target 0\\)");
    List<String> lines = report.strip().lines().toList();
    assertThat(lines.get(lines.size() - 3)).isEqualTo("RESULT drift_splits 2");
    assertThat(lines.get(lines.size() - 2)).matches("RESULT drift_shifted_fired_splits [0-2]");
    assertThat(lines.get(lines.size() - 1)).matches("RESULT drift_real_alarm_splits [0-2]");
  }

  @Test
  void aRuleLongerThanTheRealTrafficIsRefusedNamingBothSizes() throws Exception {
    Path data = discStudies(dir.resolve("one"), 1, 60);
    Path model = PartialLabelStudies.untrainedModel(dir.resolve("models"));

    StringWriter err = new StringWriter();
    int code =
        Spineflow.run(
            new String[] {
              "bench",
              "drift",
              "--data",
              data.toString(),
              "--model",
              model.toString(),
              "--phantoms",
              "1",
              "--splits",
              "1"
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));

    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("the rule needs at least reference + minimum window = 400");
  }
}
