package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire contract from a non-Java client: Debian's {@code kcat} (librdkafka) sends a phantom
 * study as two messages with headers, and ingest publishes it. Skipped, saying why, when {@code
 * kcat} is not on the PATH (CI installs it).
 */
class KcatIngestIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void aStudySentWithKcatIsPublishedAndABadOneDeadLettered() throws Exception {
    assumeTrue(
        onPath("kcat"),
        "kcat is not on the PATH: install it (apt-get install -y kcat) to run the non-Java"
            + " client check of the studies.upload wire contract");
    RunningIngest.PhantomFiles phantom = RunningIngest.phantom(Sequence.T2, 21, 0.15);
    Path image = Files.write(dir.resolve("kcat_t2.mha"), phantom.image());
    Path mask = Files.write(dir.resolve("kcat_t2.mask.mha"), phantom.mask());
    Path bad = Files.writeString(dir.resolve("notes.mha"), "this is not a MetaImage\n");

    try (RunningIngest ingest = RunningIngest.start(dir.resolve("data"), Map.of())) {
      Topics topics = ingest.context.topics();
      String topic = topics.studiesUpload().name();
      kcat(
          ingest,
          topic,
          "kcat-study",
          image,
          "spineflow.sequence=T2",
          "spineflow.part=image",
          "spineflow.expect-mask=true",
          "spineflow.source-name=kcat_t2.mha");
      kcat(ingest, topic, "kcat-study", mask, "spineflow.part=mask");
      kcat(ingest, topic, "kcat-bad", bad);

      Study study;
      try (TopicReader<String, Study> reader =
          new TopicReader<>(ingest.bootstrapServers(), topics.studies())) {
        List<ConsumerRecord<String, Study>> records = reader.awaitAtLeast(1, WAIT);
        assertThat(records).hasSize(1);
        study = records.get(0).value();
      }
      assertThat(study.getStudyUid()).isEqualTo("kcat-study");
      assertThat(study.getSequence()).isEqualTo(io.spineflow.events.Sequence.T2);
      assertThat(study.getSourceName()).isEqualTo("kcat_t2.mha");
      assertThat(study.getContentSha256())
          .isEqualTo(ContentHash.of(phantom.image(), phantom.mask()));
      VolumeMapper volumes = new VolumeMapper(new ClaimCheckStore(ingest.config.claimsDir()), 0);
      assertThat(volumes.toImage(study.getImage()).data())
          .isEqualTo(phantom.study().image().data());
      assertThat(volumes.toImage(study.getLabel()).data()).isEqualTo(phantom.study().mask().data());

      try (TopicReader<String, DeadLetter> reader =
          new TopicReader<>(ingest.bootstrapServers(), topics.deadletter())) {
        DeadLetter letter = reader.awaitAtLeast(1, WAIT).get(0).value();
        assertThat(letter.getStudyUid()).isEqualTo("kcat-bad");
        assertThat(letter.getReasonCode()).isEqualTo("MALFORMED_HEADER_LINE");
      }
      // With partitioner=murmur2_random, librdkafka places keys as Java clients do.
      try (TopicReader<String, byte[]> reader =
          new TopicReader<>(ingest.bootstrapServers(), topics.studiesUpload())) {
        int partitions = topics.studiesUpload().settings().partitions();
        for (ConsumerRecord<String, byte[]> record : reader.awaitAtLeast(3, WAIT)) {
          int expected =
              Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8)))
                  % partitions;
          assertThat(record.partition()).as(record.key()).isEqualTo(expected);
        }
      }
    }
  }

  /** Sends {@code file} as one message, as the README's kcat example does. */
  private void kcat(RunningIngest ingest, String topic, String key, Path file, String... headers)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "kcat",
            "-b",
            ingest.bootstrapServers(),
            "-P",
            "-t",
            topic,
            "-k",
            key,
            "-X",
            "partitioner=murmur2_random",
            "-X",
            "message.max.bytes=" + (32 << 20)));
    for (String header : headers) {
      command.add("-H");
      command.add(header);
    }
    command.add(file.toString());
    Path log = Files.createTempFile(dir, "kcat", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as("kcat finished").isTrue();
    assertThat(process.exitValue()).as("kcat: " + Files.readString(log)).isZero();
  }

  /** Whether {@code program} is an executable on the PATH (also for the other foreign-tool ITs). */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(directory, program))) {
        return true;
      }
    }
    return false;
  }
}
