package io.spineflow.cli;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the configuration table (Markdown), the same one the README shows. */
@Command(name = "config", description = "Print every setting: name, environment variable, default.")
final class ConfigTableCommand implements Callable<Integer> {
  static final String START = "<!-- config-table:start -->\n";
  static final String END = "<!-- config-table:end -->";

  @Spec CommandSpec spec;

  @Option(
      names = "--update-readme",
      paramLabel = "FILE",
      description =
          "Replace the table between the config-table markers of FILE instead of printing.")
  Path readme;

  @Override
  public Integer call() throws IOException {
    if (readme == null) {
      spec.commandLine().getOut().print(markdown());
      return 0;
    }
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      throw new ConfigException("--update-readme", readme + " has no config-table markers");
    }
    Files.writeString(
        readme,
        text.substring(0, start + START.length()) + markdown() + text.substring(end),
        StandardCharsets.UTF_8);
    return 0;
  }

  /** Common settings first, then each service's, in pipeline order. */
  static String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("| setting (`--option`) | environment variable | default | what it does |\n");
    table.append("|---|---|---|---|\n");
    // A setting shared by two services (model.store: inference and trainer) is one row.
    Map<String, Setting> rows = new LinkedHashMap<>();
    CommonSettings.all().forEach(s -> rows.putIfAbsent(s.name(), s));
    ServiceModules.all().forEach(m -> m.settings().forEach(s -> rows.putIfAbsent(s.name(), s)));
    for (Setting s : rows.values()) {
      table
          .append("| `")
          .append(s.name())
          .append("` | `")
          .append(s.envVar())
          .append("` | ")
          .append(s.defaultValue().isEmpty() ? "(unset)" : "`" + s.defaultValue() + "`")
          .append(" | ")
          .append(s.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return table.toString();
  }
}
