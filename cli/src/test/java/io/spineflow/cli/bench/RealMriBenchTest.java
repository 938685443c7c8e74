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

/** {@code bench realmri} on tiny partially labelled phantoms: the shape of its report. */
class RealMriBenchTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Spineflow.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void crossValidatesEverySeedAndEndsWithTheDiscDice() throws Exception {
    Path data = dir.resolve("realmri");
    StringBuilder manifest = new StringBuilder("name\tset\tsequence\tlabelled\n");
    for (int s = 0; s < 2; s++) {
      PartialLabelStudies.write(data, "ivd_" + s, 30 + s, PartialLabelStudies.DISCS);
      PartialLabelStudies.write(data, "vb_" + s, 40 + s, PartialLabelStudies.VERTEBRAE);
      manifest.append("ivd_").append(s).append("\tIVD\tT2\tdiscs\n");
      manifest.append("vb_").append(s).append("\tVB\tT2\tvertebral-bodies\n");
    }
    Files.writeString(data.resolve("manifest.tsv"), manifest);
    Path work = dir.resolve("work");

    Result r =
        run(
            "bench",
            "realmri",
            "--data",
            data.toString(),
            "--folds",
            "2",
            "--seeds",
            "2",
            "--seed",
            "7",
            "--phantoms",
            "2",
            "--profile",
            "quick",
            "--epochs",
            "1",
            "--work",
            work.toString());

    assertThat(r.code()).as(r.err()).isZero();
    String number = "\\d\\.\\d{4}";
    String cell = number + " ± " + number + " \\(n=\\d\\)";
    String ratio = "\\d+\\.\\d{4} ± \\d+\\.\\d{4} \\(n=\\d\\)";
    assertThat(r.out())
        .contains("Seed 7, 2 folds:")
        .contains("Seed 8, 2 folds:")
        .containsPattern("\\| pooled \\| IVDs \\| [1-9]\\d* \\| " + number)
        .contains("4 studies, 2-fold cross-validation by study, 2 seeds")
        .containsPattern("\\| 7 \\(over folds\\) \\| " + cell + " \\| " + cell + " \\| " + ratio)
        .containsPattern("\\| 8 \\(over folds\\) \\| " + cell)
        .containsPattern("\\| over 2 seeds \\| " + cell + " \\| " + cell + " \\| " + ratio)
        .contains("command: ./spineflow bench realmri --data " + data)
        .contains("recipe: profile quick, 2 phantoms")
        .contains("seeds 7..8")
        .containsPattern("wall time: \\d+\\.\\d min");
    List<String> lines = r.out().strip().lines().toList();
    assertThat(lines.get(lines.size() - 3)).matches("RESULT realmri_body_recall " + number);
    assertThat(lines.get(lines.size() - 2)).matches("RESULT realmri_body_area_ratio \\d+\\.\\d{4}");
    assertThat(lines.get(lines.size() - 1)).matches("RESULT realmri_disc_dice " + number);
    assertThat(r.err()).contains("fold 2/2: training on 2 studies, scoring 2");
    for (String seed : new String[] {"seed-7", "seed-8"}) {
      for (String fold : new String[] {"fold-1", "fold-2"}) {
        assertThat(work.resolve(seed).resolve(fold).resolve("model").resolve("weights.params"))
            .exists();
      }
    }
  }

  @Test
  void aMissingDataFolderIsOneLineNamingData() {
    Path missing = dir.resolve("nowhere");

    Result r = run("bench", "realmri", "--data", missing.toString());

    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip())
        .startsWith("spineflow: --data")
        .contains(missing.toString())
        .contains("no such directory")
        .doesNotContain("\n");
  }

  @Test
  void theModelBenchmarksKeepTheirProfileOptionBesideTheRecipes() {
    assertThat(run("bench", "inference", "--help").out()).contains("--profile=cpu|paper");
    assertThat(run("bench", "realmri", "--help").out())
        .contains("--profile=<profile>")
        .contains("--budget-minutes")
        .contains("--seeds=N")
        .contains(BenchCommand.DEFAULT_REALMRI);
  }
}
