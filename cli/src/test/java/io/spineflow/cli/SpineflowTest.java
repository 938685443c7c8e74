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
  void anUnreachableBrokerIsOneLineNamingBootstrapServers() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Result r =
        run("preprocess", "--bootstrap-servers", "127.0.0.1:" + closed, "--startup-timeout", "2s");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip())
        .isEqualTo(
            "spineflow: bootstrap.servers: cannot reach Kafka at 127.0.0.1:"
                + closed
                + " within 2 s (is the broker running and the address right?)");
  }

  @Test
  void forgetRefusesAUidNoDoorAcceptsAndAnUnreachableBrokerBeforeTouchingAnything(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) throws Exception {
    Result slash = run("forget", "1.2/3", "--data-dir", dataDir.toString());
    assertThat(slash.code()).isEqualTo(Spineflow.USAGE);
    assertThat(slash.err().strip()).isEqualTo("spineflow: a study UID is non-blank and has no '/'");

    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    java.nio.file.Path cached =
        java.nio.file.Files.createDirectories(
            io.spineflow.trainer.TrainerService.cachedStudyDir(dataDir, "1.2.3"));
    Result r =
        run(
            "forget",
            "1.2.3",
            "--bootstrap-servers",
            "127.0.0.1:" + closed,
            "--startup-timeout",
            "2s",
            "--data-dir",
            dataDir.toString());
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip()).startsWith("spineflow: bootstrap.servers: cannot reach Kafka");
    assertThat(cached).exists();
  }

  @Test
  void aBadSettingValueIsOneLineNamingIt() {
    Result r = run("preprocess", "--topic-partitions", "many");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip())
        .isEqualTo("spineflow: topic.partitions: must be an integer, got 'many'");
  }

  @Test
  void helpListsTheCommands() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "inspect", "config");
  }

  @Test
  void everyCommandHasHelpListingItsSettings() {
    for (String command :
        new String[] {"ingest", "preprocess", "inference", "results", "trainer", "demo"}) {
      Result r = run(command, "--help");
      assertThat(r.code()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: spineflow " + command);
    }
    assertThat(run("ingest", "--help").out()).contains("--ingest-token", "SPINEFLOW_INGEST_TOKEN");
    // Shared rows are options of every service that reads them.
    assertThat(run("trainer", "--help").out()).contains("--model-store", "--model-name");
    assertThat(run("inference", "--help").out()).contains("--model-store", "--model-name");
    assertThat(run("results", "--help").out())
        .contains("--results-study-retention", "SPINEFLOW_RESULTS_STUDY_RETENTION");
    assertThat(run("help", "bench").out()).contains("Usage: spineflow bench");
  }
}
