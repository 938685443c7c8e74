package io.spineflow.cli;

import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns rows of the configuration table into command-line options ({@code bootstrap.servers} →
 * {@code --bootstrap-servers}), so every setting can be given on the command line, over its
 * environment variable, over its default.
 */
public final class SettingOptions {
  private SettingOptions() {}

  public static void addTo(CommandSpec spec, List<Setting> settings) {
    for (Setting setting : settings) {
      if (spec.findOption(setting.option()) != null) {
        continue;
      }
      String defaultText = setting.defaultValue().isEmpty() ? "unset" : setting.defaultValue();
      spec.addOption(
          OptionSpec.builder(setting.option())
              .paramLabel("VALUE")
              .type(String.class)
              .description(
                  setting.description()
                      + " (env "
                      + setting.envVar()
                      + ", default "
                      + defaultText
                      + ")")
              .build());
    }
  }

  /** Settings from the parsed command line over the process environment. */
  public static Settings resolve(CommandSpec spec, List<Setting> settings) {
    Map<String, String> given = new HashMap<>();
    for (Setting setting : settings) {
      OptionSpec option = spec.findOption(setting.option());
      if (option != null && option.getValue() != null) {
        given.put(setting.name(), option.getValue());
      }
    }
    return new Settings(given, System.getenv());
  }
}
