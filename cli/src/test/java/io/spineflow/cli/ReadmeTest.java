package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the README true: its configuration table is exactly what the code declares. */
class ReadmeTest {

  static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("spineflow"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("README.md of the repository not found above " + Path.of(""));
  }

  @Test
  void configurationTableMatchesTheCode() throws Exception {
    String text = Files.readString(readme(), StandardCharsets.UTF_8);
    int start = text.indexOf(ConfigTableCommand.START);
    int end = text.indexOf(ConfigTableCommand.END);
    assertThat(start).as("README has the config-table markers").isNotNegative();
    String documented = text.substring(start + ConfigTableCommand.START.length(), end);
    assertThat(documented)
        .as(
            "README configuration table; update it with ./spineflow config --update-readme README.md")
        .isEqualTo(ConfigTableCommand.markdown());
  }
}
