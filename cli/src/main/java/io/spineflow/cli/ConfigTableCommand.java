package io.spineflow.cli;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the configuration table (Markdown), the same one the README shows. */
@Command(name = "config", description = "Print every setting: name, environment variable, default.")
final class ConfigTableCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(markdown());
    return 0;
  }

  /** Common settings first, then each service's, in pipeline order. */
  static String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("| setting (`--option`) | environment variable | default | what it does |\n");
    table.append("|---|---|---|---|\n");
    List<Setting> rows = new ArrayList<>(CommonSettings.all());
    ServiceModules.all().forEach(m -> rows.addAll(m.settings()));
    for (Setting s : rows) {
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
