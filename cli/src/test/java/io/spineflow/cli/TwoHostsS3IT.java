package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.objectstore.InProcessS3;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores without a shared disk: ingest on one "host" and preprocess on another (two data
 * directories, no path in common) with the S3 blob store on a real S3-compatible server (S3Proxy,
 * in this JVM). A study above the inline limit travels by claim check through the bucket alone.
 */
class TwoHostsS3IT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path root;

  @Test
  void aClaimCheckedStudyGoesFromIngestToPreprocessThroughTheBucketAlone() throws Exception {
    Path hostA = Files.createDirectories(root.resolve("host-a"));
    Path hostB = Files.createDirectories(root.resolve("host-b"));
    try (InProcessS3 s3 = InProcessS3.start(Files.createDirectories(root.resolve("s3")))) {
      String bucket = s3.createBucket("two-hosts");
      String bootstrap = SharedKafka.bootstrapServers();
      String prefix = "s3" + UUID.randomUUID().toString().substring(0, 8) + ".";
      Map<String, String> common = new HashMap<>();
      common.put("bootstrap.servers", bootstrap);
      common.put("topic.prefix", prefix);
      common.put("topic.partitions", "2");
      common.put("startup.timeout", "60s");
      common.put("ingest.token", "two-hosts-ingest-token");
      common.put("ingest.watch.dir", "");
      // Every volume travels by claim check.
      common.put("ingest.study.inline.max.bytes", "1024");
      common.put("blobstore.type", "s3");
      common.put("blobstore.s3.endpoint", s3.endpoint());
      common.put("blobstore.s3.bucket", bucket);
      common.put("blobstore.s3.prefix", "claims/");
      common.put("blobstore.s3.access.key", InProcessS3.ACCESS_KEY);
      // The secret as a deployment gives it: in the environment, not on the command line.
      Map<String, String> environment =
          Map.of("SPINEFLOW_BLOBSTORE_S3_SECRET_KEY", InProcessS3.SECRET_KEY);
      Settings onA = host(common, hostA, environment);
      Settings onB = host(common, hostB, environment);
      Topics topics = new Topics(prefix, 2);

      String uid;
      try (RunningServices ingest =
              RunningServices.start(List.of(ServiceModules.INGEST), onA, Map.of("ingest", 0));
          RunningServices preprocess =
              RunningServices.start(
                  List.of(ServiceModules.PREPROCESS), onB, Map.of("preprocess", 0));
          StudyPusher pusher = new StudyPusher(KafkaClients.from(onA), topics);
          TopicReader<String, SliceSummary> summaries =
              new TopicReader<>(bootstrap, topics.slicesSummary())) {
        PhantomSpec spec = PhantomSpec.of(Sequence.T2, 811).withSizeScale(0.4);
        List<Path> files =
            DemoFeeder.writeFiles(
                new PhantomGenerator().generate(spec), root.resolve("send"), spec.fileStem(), true);
        uid = pusher.push(files).get(0).studyUid();

        summaries.awaitKeys(Set.of(uid), WAIT);
        assertThat(summaries.records())
            .filteredOn(r -> r.key().equals(uid))
            .singleElement()
            .satisfies(r -> assertThat(r.value().getEmittedSliceIndexes()).isNotEmpty());
      }

      try (TopicReader<String, Study> studies = new TopicReader<>(bootstrap, topics.studies())) {
        List<ConsumerRecord<String, Study>> records = studies.readToEnd(WAIT);
        assertThat(records).filteredOn(r -> r.key().equals(uid)).isNotEmpty();
        for (ConsumerRecord<String, Study> r : records) {
          assertThat(r.value().getImage().getVoxels())
              .isInstanceOfSatisfying(
                  ClaimCheck.class,
                  c -> assertThat(c.getUri()).isEqualTo("sha256:" + c.getSha256()));
        }
      }
      assertThat(s3.keys(bucket)).isNotEmpty().allMatch(k -> k.startsWith("claims/"));
      assertThat(blobFiles(hostA)).as("no claim-check file on host A").isEmpty();
      assertThat(blobFiles(hostB)).as("no claim-check file on host B").isEmpty();
    }
  }

  private static Settings host(
      Map<String, String> common, Path dataDir, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>(common);
    values.put("data.dir", dataDir.toString());
    return new Settings(values, environment);
  }

  private static List<Path> blobFiles(Path dataDir) throws Exception {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".bin")).toList();
    }
  }
}
