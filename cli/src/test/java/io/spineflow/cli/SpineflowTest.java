package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Bad usage ends in one line naming the option, exit code 2, no stack trace. */
class SpineflowTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Spineflow.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownOptionIsOneLineNamingIt() {
    Result r = run("inspect", "--colour", "x.mha");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err()).startsWith("spineflow: Unknown option: '--colour'");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void anUnknownCommandIsRefused() {
    Result r = run("segment-everything");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err()).contains("segment-everything");
  }

  @Test
  void inspectOfAMissingFileSaysSo() {
    Result r = run("inspect", "/nonexistent/study.mha");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip())
        .isEqualTo("spineflow: inspect: /nonexistent/study.mha: no such file");
  }

  @Test
  void helpListsTheCommands() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "inspect", "config");
  }
}
