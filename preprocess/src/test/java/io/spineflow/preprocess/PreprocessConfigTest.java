package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessConfigTest {

  @Test
  void everySettingIsAPreprocessRowWithItsEnvironmentVariableAndADescription() {
    assertThat(PreprocessSettings.all())
        .isNotEmpty()
        .allSatisfy(
            s -> {
              assertThat(s.name()).startsWith("preprocess.");
              assertThat(s.envVar())
                  .isEqualTo("SPINEFLOW_" + s.name().toUpperCase().replace('.', '_'));
              assertThat(s.description()).isNotBlank();
            });
    assertThat(PreprocessSettings.all()).extracting(Setting::name).doesNotHaveDuplicates();
  }

  @Test
  void defaultsAreTheCpuProfileAndThePapersFilters() {
    PreprocessConfig config = PreprocessConfig.defaults(Path.of("/var/spineflow"));
    assertThat(config.applicationId()).isEqualTo("spineflow-preprocess");
    assertThat(config.sliceWidth()).isEqualTo(128);
    assertThat(config.sliceHeight()).isEqualTo(128);
    assertThat(config.lowerPercentile()).isEqualTo(0.5);
    assertThat(config.upperPercentile()).isEqualTo(99.5);
    assertThat(config.filterMissingClass()).isTrue();
    assertThat(config.filterImbalance()).isTrue();
    assertThat(config.maxImbalanceRatio()).isEqualTo(100);
    assertThat(config.filterSpineRegion()).isTrue();
    assertThat(config.spineHalfWidthMm()).isEqualTo(15);
    assertThat(config.claimCheckDir()).isEqualTo(Path.of("/var/spineflow/claims"));
    assertThat(config.streamThreads()).isEqualTo(1);
  }

  @Test
  void environmentOverridesDefaultsAndTheCommandLineOverridesTheEnvironment() {
    Settings settings =
        new Settings(
            Map.of("preprocess.slice.width", "512"),
            Map.of(
                "SPINEFLOW_PREPROCESS_SLICE_WIDTH", "256",
                "SPINEFLOW_PREPROCESS_SLICE_HEIGHT", "256",
                "SPINEFLOW_PREPROCESS_FILTER_IMBALANCE", "false",
                "SPINEFLOW_PREPROCESS_CLAIM_CHECK_DIR", "/shared/claims"));
    PreprocessConfig config = PreprocessConfig.from(settings);
    assertThat(config.sliceWidth()).isEqualTo(512);
    assertThat(config.sliceHeight()).isEqualTo(256);
    assertThat(config.filterImbalance()).isFalse();
    assertThat(config.claimCheckDir()).isEqualTo(Path.of("/shared/claims"));
  }

  @Test
  void badValuesAreOneLineErrorsNamingTheSetting() {
    assertThatThrownBy(
            () -> PreprocessConfig.from(Settings.of(Map.of("preprocess.slice.width", "4"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("preprocess.slice.width: must be between 8 and 1024");
    assertThatThrownBy(
            () ->
                PreprocessConfig.from(
                    Settings.of(Map.of("preprocess.filter.max.imbalance.ratio", "0.55"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("preprocess.filter.max.imbalance.ratio:");
    assertThatThrownBy(
            () ->
                PreprocessConfig.from(
                    Settings.of(
                        Map.of(
                            "preprocess.intensity.lower.percentile", "60",
                            "preprocess.intensity.upper.percentile", "40"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lower < upper");
  }

  @Test
  void theSlicerFollowsTheConfiguration() {
    PreprocessConfig config = PreprocessConfig.defaults(Path.of("d")).withSliceSize(256, 512);
    assertThat(config.sliceWidth()).isEqualTo(256);
    assertThat(config.sliceHeight()).isEqualTo(512);
    assertThat(config.slicer()).isNotNull();
  }
}
