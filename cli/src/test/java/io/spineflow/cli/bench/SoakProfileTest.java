package io.spineflow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.model.UNetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --profile} of the soak and latency benches: which model, phantom size and slice size. */
class SoakProfileTest {

  @Test
  void quickIsTheSmallUntrainedModelOnHalfSizePhantoms() {
    BenchCommand.SoakProfile quick = parse("bench", "soak").soakProfile;
    assertThat(quick.profile()).isEqualTo(SoakBench.QUICK);
    assertThat(quick.sizeScale()).isEqualTo(0.5);
    assertThat(quick.sliceSize()).isEqualTo(64);
    UNetConfig model = options(quick).model();
    assertThat(model.baseWidth()).isEqualTo(8);
    assertThat(model.inputWidth()).isEqualTo(64);
  }

  @Test
  void cpuServesTheDefaultArchitectureOnSpiderSizedPhantoms() {
    BenchCommand.SoakProfile cpu = parse("bench", "soak", "--profile", "cpu").soakProfile;
    assertThat(cpu.sizeScale()).isEqualTo(1.0);
    assertThat(cpu.sliceSize()).isEqualTo(UNetConfig.profile("cpu").inputWidth());
    assertThat(options(cpu).model()).isEqualTo(UNetConfig.profile("cpu"));
  }

  @Test
  void latencyDefaultsToTheCpuProfileAndExplicitSizesWin() {
    BenchCommand.Latency latency =
        new CommandLine(new BenchCommand())
            .parseArgs("latency", "--size-scale", "0.75", "--slice-size", "96")
            .subcommand()
            .commandSpec()
            .commandLine()
            .getCommand();
    assertThat(latency.soakProfile.profile()).isEqualTo("cpu");
    assertThat(latency.soakProfile.sizeScale()).isEqualTo(0.75);
    assertThat(latency.soakProfile.sliceSize()).isEqualTo(96);
    assertThat(latency.studies).isEqualTo(40);
  }

  @Test
  void anUnknownProfileOrASizeTheModelCannotTakeIsRefused() {
    assertThatThrownBy(() -> options("huge", 64)).isInstanceOf(IllegalArgumentException.class);
    // The cpu profile is 4 levels deep: slices must be a multiple of 16.
    assertThatThrownBy(() -> options("cpu", 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^depth");
  }

  private static BenchCommand.Soak parse(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    return cli.parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length))
        .subcommand()
        .commandSpec()
        .commandLine()
        .getCommand();
  }

  private static SoakBench.Options options(BenchCommand.SoakProfile p) {
    return options(p.profile(), p.sliceSize());
  }

  private static SoakBench.Options options(String profile, int sliceSize) {
    return new SoakBench.Options(
        1,
        profile,
        1.0,
        sliceSize,
        1,
        0,
        0.1,
        List.of(),
        "",
        Path.of("out"),
        Duration.ofMinutes(1));
  }
}
