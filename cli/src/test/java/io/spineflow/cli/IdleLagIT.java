package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.Mask;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.ConsumerLag;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lag as {@code kafka-consumer-groups} shows it, once the whole pipeline is idle: {@code demo}
 * (ingest, preprocess, inference, results, trainer, dashboard) takes two labelled studies (fewer
 * than the trainer needs, so nothing trains) through every stage, and a retrain request for another
 * model (written in a transaction, so a marker follows it) reaches the trainer, which skips it.
 * Every consumer group that committed offsets then has lag 0 on every partition — the transaction
 * markers after the last records included — within a bound.
 */
class IdleLagIT {
  /** The groups of the six services in the demo (topic prefix empty). */
  private static final List<String> GROUPS =
      List.of(
          "spineflow-ingest",
          "spineflow-preprocess",
          "spineflow-inference",
          "spineflow-results",
          "spineflow-trainer-spine-unet",
          "spineflow-dashboard");

  @TempDir Path dir;

  @Test
  void everyGroupsLagIsZeroOnceThePipelineIsIdle() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    for (Sequence sequence : new Sequence[] {Sequence.T1, Sequence.T2}) {
      PhantomStudy study =
          new PhantomGenerator().generate(PhantomSpec.of(sequence, 11).withSizeScale(0.5));
      String name = study.spec().fileStem() + ".mha";
      MetaImageWriter.write(
          study.image(), data.resolve("images").resolve(name), MetaImageWriter.Compression.ZLIB);
      MetaImageWriter.write(
          study.mask(), data.resolve("masks").resolve(name), MetaImageWriter.Compression.ZLIB);
    }
    UNetConfig config = UNetConfig.defaults().withWidths(4, 2, 16);
    StoredModel stored;
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      stored =
          new ModelStore(dir.resolve("given"))
              .save("mine", 1, model.djlModel().getBlock(), config, Map.of());
    }
    try (DemoProcess demo =
        DemoProcess.start(
            "--model",
            stored.directory().toString(),
            "--data",
            data.toString(),
            "--data-dir",
            dir.resolve("state").toString(),
            "--kafka-port",
            "0",
            "--port",
            "0",
            "--service-ports-from",
            "0")) {
      demo.awaitLine("own studies sent: 2"::equals, Duration.ofMinutes(3));
      String bootstrap = demo.bootstrapServers();
      Topics topics = new Topics("", 3);
      try (TopicReader<String, Slice> slices = new TopicReader<>(bootstrap, topics.slices());
          TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
          ConsumerLag lag = new ConsumerLag(bootstrap)) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    slices.records().stream()
                            .map(r -> r.value().getStudyUid())
                            .collect(Collectors.toSet())
                            .size()
                        == 2);
        Set<String> sliceKeys =
            slices.records().stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        masks.awaitKeys(sliceKeys, Duration.ofMinutes(3));
        sendRetrainRequestForAnotherModel(bootstrap, topics);

        Map<String, Map<TopicPartition, Long>> last = new LinkedHashMap<>();
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  for (String group : GROUPS) {
                    last.put(group, lag.lag(group, ""));
                  }
                  assertThat(last)
                      .as("lag per group and partition")
                      .allSatisfy(
                          (group, partitions) ->
                              assertThat(partitions)
                                  .as(group)
                                  .isNotEmpty()
                                  .allSatisfy(
                                      (tp, n) -> assertThat(n).as(group + " " + tp).isZero()));
                });
        System.out.println("idle lag per group: " + last);
        assertThat(last.get("spineflow-trainer-spine-unet"))
            .as("the trainer committed past the request it skipped and its marker")
            .containsKey(new TopicPartition(topics.retrain().name(), 0));
        assertThat(last.get("spineflow-inference").keySet())
            .extracting(TopicPartition::topic)
            .containsOnly(topics.slices().name());
      }
      assertThat(demo.interrupt(Duration.ofSeconds(60))).isEqualTo(130);
    }
  }

  private static void sendRetrainRequestForAnotherModel(String bootstrap, Topics topics) {
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, RetrainRequest> producer =
        new KafkaProducer<>(
            clients.producer("idle-lag-it", "idle-lag-it", 1 << 20),
            topics.retrain().keySerde().serializer(),
            topics.retrain().valueSerde().serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              topics.retrain().name(),
              "another-model",
              RetrainRequest.newBuilder()
                  .setRequestId("idle-lag-it")
                  .setModelName("another-model")
                  .setRequestedBy("IdleLagIT")
                  .setOrigin(RetrainOrigin.CLI)
                  .setReason("not for this trainer: skipped, and committed past")
                  .setRequestedAt(Instant.now())
                  .build()));
      producer.commitTransaction();
    }
  }
}
