package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.events.SliceSummary;
import io.spineflow.imaging.Image;
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
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --no-train --model DIR --data DIR}: the user's own studies segmented by the user's
 * own model, with no trainer running; every slice gets a mask from that model. One study labels the
 * discs only (declared in the folder's {@code manifest.tsv}): it travels through ingest, preprocess
 * and inference, and its {@code quality} records score the discs alone, leaving vertebrae and canal
 * undefined rather than 0.
 */
class DemoOwnDataIT {
  @TempDir Path dir;

  @Test
  void ownStudiesAreSegmentedByTheGivenModelWithoutTraining() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    String discOnly = null;
    for (Sequence sequence : new Sequence[] {Sequence.T1, Sequence.T2}) {
      PhantomStudy study =
          new PhantomGenerator().generate(PhantomSpec.of(sequence, 5).withSizeScale(0.5));
      String name = study.spec().fileStem() + ".mha";
      Image mask = sequence == Sequence.T2 ? discsOnly(study.mask()) : study.mask();
      discOnly = sequence == Sequence.T2 ? study.spec().fileStem() : discOnly;
      MetaImageWriter.write(
          study.image(), data.resolve("images").resolve(name), MetaImageWriter.Compression.ZLIB);
      MetaImageWriter.write(
          mask, data.resolve("masks").resolve(name), MetaImageWriter.Compression.ZLIB);
    }
    Files.writeString(data.resolve("manifest.tsv"), "name\tlabelled\n" + discOnly + "\tdiscs\n");
    UNetConfig config = UNetConfig.defaults().withWidths(4, 2, 16);
    StoredModel stored;
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      stored =
          new ModelStore(dir.resolve("given"))
              .save("mine", 1, model.djlModel().getBlock(), config, Map.of());
    }
    try (DemoProcess demo =
        DemoProcess.start(
            "--no-train",
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
      List<String> out = demo.lines();
      assertThat(out).noneMatch(l -> l.trim().startsWith("trainer "));
      assertThat(out).anyMatch(l -> l.startsWith("Model spine-unet v1 from "));
      String bootstrap = demo.bootstrapServers();
      Topics topics = new Topics("", 3);
      try (TopicReader<String, SliceSummary> summaries =
              new TopicReader<>(bootstrap, topics.slicesSummary());
          TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks())) {
        // Every slice of both studies, as their summaries list them: not the slices read so far,
        // which may hold one partition's share of a study before the others are fetched.
        await().atMost(Duration.ofMinutes(2)).until(() -> summaries.records().size() >= 2);
        Set<String> sliceKeys =
            summaries.records().stream()
                .map(ConsumerRecord::value)
                .flatMap(
                    s -> s.getEmittedSliceIndexes().stream().map(i -> s.getStudyUid() + "/" + i))
                .collect(Collectors.toSet());
        assertThat(summaries.records())
            .extracting(r -> r.value().getStudyUid())
            .doesNotHaveDuplicates()
            .hasSize(2);
        masks.awaitKeys(sliceKeys, Duration.ofMinutes(2));
        assertThat(masks.records())
            .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(1));
        assertPartialQuality(bootstrap, topics, sliceKeys, discOnly);
      }
      assertThat(demo.interrupt(Duration.ofSeconds(60))).isEqualTo(130);
    }
  }

  /** Every slice has its quality; the disc-only study's score discs alone, the other's all. */
  private static void assertPartialQuality(
      String bootstrap, Topics topics, Set<String> sliceKeys, String discOnly) throws Exception {
    try (TopicReader<String, Quality> quality = new TopicReader<>(bootstrap, topics.quality())) {
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () ->
                  assertThat(
                          quality.records().stream()
                              .map(ConsumerRecord::key)
                              .collect(Collectors.toSet()))
                      .containsAll(sliceKeys));
      Map<Boolean, List<Quality>> byStudy =
          quality.records().stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.partitioningBy(q -> q.getStudyUid().equals(discOnly)));
      assertThat(byStudy.get(true)).isNotEmpty();
      assertThat(byStudy.get(false)).isNotEmpty();
      assertThat(byStudy.get(true))
          .allSatisfy(
              q ->
                  assertThat(q.getClassMetrics())
                      .extracting(ClassMetrics::getClassIndex)
                      .containsExactly(3));
      assertThat(byStudy.get(false))
          .allSatisfy(
              q ->
                  assertThat(q.getClassMetrics())
                      .extracting(ClassMetrics::getClassIndex)
                      .containsExactly(0, 1, 2, 3));
    }
  }

  /** The mask with every label but the discs (201+) set to 0: unlabelled. */
  private static Image discsOnly(Image mask) {
    double[] values = mask.toDoubles();
    for (int i = 0; i < values.length; i++) {
      values[i] = values[i] >= 200 ? values[i] : 0;
    }
    return Image.fromDoubles(mask.geometry(), mask.type(), values);
  }
}
