package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./spineflow measure}: a phantom's SPIDER mask measured level by level, and refusals. */
class MeasureCommandTest {

  @Test
  void aPhantomMaskGivesEveryLumbarLevelWithHeightsAndCanal(@TempDir Path dir) throws Exception {
    SpineflowTest.Result made =
        SpineflowTest.run(
            "phantom", "--count", "1", "--size-scale", "0.5", "--out", dir.toString());
    assertThat(made.code()).as(made.err()).isZero();
    Path mask;
    try (var files = Files.list(dir.resolve("masks"))) {
      mask = files.filter(p -> p.toString().endsWith(".mha")).findFirst().orElseThrow();
    }
    Path csv = dir.resolve("levels.csv");

    SpineflowTest.Result r = SpineflowTest.run("measure", mask.toString(), "--csv", csv.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("discs").contains("wrote " + csv);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).startsWith("order,name,kind,found");
    Map<String, String[]> byName =
        lines.stream()
            .skip(1)
            .map(l -> l.split(",", -1))
            .collect(Collectors.toMap(c -> c[1], Function.identity(), (a, b) -> a));
    assertThat(byName).containsKeys("L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "L5", "L1");
    for (String disc : List.of("L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2")) {
      String[] row = byName.get(disc);
      assertThat(row[2]).as(disc).isEqualTo("disc");
      assertThat(row[3]).as(disc).isEqualTo("true");
      // anterior, middle, posterior height and canal diameter: measured, in a lumbar range (mm)
      for (int column : new int[] {6, 7, 8, 9}) {
        assertThat(Double.parseDouble(row[column]))
            .as(disc + " " + lines.get(0).split(",")[column] + " in " + Arrays.toString(row))
            .isBetween(2.0, 30.0);
      }
    }
  }

  @Test
  void aMissingFileAndAnUnknownSchemeAreOneLineEach(@TempDir Path dir) {
    SpineflowTest.Result missing = SpineflowTest.run("measure", dir.resolve("x.mha").toString());
    assertThat(missing.code()).isEqualTo(Spineflow.USAGE);
    assertThat(missing.err().strip()).contains("no such file").doesNotContain("\n");

    SpineflowTest.Result scheme =
        SpineflowTest.run("measure", dir.toString(), "--scheme", "levels");
    assertThat(scheme.code()).isEqualTo(Spineflow.USAGE);
    assertThat(scheme.err()).contains("--scheme must be spider or merged");
  }
}
