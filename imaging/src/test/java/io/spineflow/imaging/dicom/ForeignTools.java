package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Running DCMTK's and dicom3tools' command-line tools on written files, for the tools tests. */
final class ForeignTools {
  private ForeignTools() {}

  /**
   * Runs a tool with its output in a log under {@code dir}; any tool but dciodvfy (which exits
   * non-zero on warnings) must succeed.
   */
  static String run(Path dir, String... command) throws Exception {
    Path log = dir.resolve(Path.of(command[0]).getFileName() + ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    if (!command[0].equals("dciodvfy")) {
      assertThat(p.exitValue()).as(output).isZero();
    }
    return output;
  }

  /** Asserts dciodvfy's output has no error and no warning but the accepted ones. */
  static void assertNoErrorAndOnlyAcceptedWarnings(String output, List<Pattern> accepted) {
    assertThat(output.lines().filter(l -> l.contains("Error"))).as(output).isEmpty();
    List<String> unexpected = new ArrayList<>();
    for (String line : output.lines().filter(l -> l.contains("Warning")).toList()) {
      if (accepted.stream().noneMatch(p -> p.matcher(line).matches())) {
        unexpected.add(line);
      }
    }
    assertThat(unexpected).as(output).isEmpty();
  }
}
