package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.LabelCoverage;
import io.spineflow.events.LabelExtent;
import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study whose mask labels only the discs, over their span, through the real service and broker:
 * its slices are kept (not dropped as {@code MISSING_CLASS}) and each carries the scope, while the
 * complete study beside it carries none.
 */
class PartialLabelIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dataDir;

  @Test
  void aDiscOnlyStudysSlicesCarryTheirLabelScope() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Settings settings =
        Settings.of(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "topic.prefix",
                topics.prefix(),
                "topic.partitions",
                "1",
                "data.dir",
                dataDir.toString(),
                "startup.timeout",
                "60s",
                "preprocess.application.id",
                "it-" + topics.prefix() + "preprocess"));
    PreprocessConfig config = PreprocessConfig.from(settings);
    VolumeMapper volumes =
        new VolumeMapper(
            new ClaimCheckStore(config.claimCheckDir()), Topics.STUDY_INLINE_MAX_BYTES);
    PhantomStudy phantom = TestStudies.phantom(Sequence.T2, 300, 0.5);
    Image discs = discsOnly(phantom.mask());
    Study partial =
        Study.newBuilder(
                TestStudies.study(
                    "discs-only",
                    io.spineflow.events.Sequence.T2,
                    volumes.toVolume(phantom.image(), null),
                    volumes.toVolume(discs, null)))
            .setLabelCoverage(
                LabelCoverage.newBuilder()
                    .setClasses(List.of(LabelledClass.DISCS))
                    .setExtent(LabelExtent.LABELLED_SPAN)
                    .setExtentMarginMm(0)
                    .build())
            .build();
    Study complete = TestStudies.study("complete", volumes, phantom, true);

    try (ServiceLauncher launcher = new ServiceLauncher();
        KafkaProducer<String, Study> producer =
            new KafkaProducer<>(
                ServiceContext.from("it-producer", settings)
                    .kafka()
                    .producer("it-studies", null, Topics.STUDY_MAX_BYTES),
                new StringSerializer(),
                topics.studies().valueSerde().serializer());
        TopicReader<String, SliceSummary> summaries =
            new TopicReader<>(bootstrap, topics.slicesSummary());
        TopicReader<String, Slice> slices = new TopicReader<>(bootstrap, topics.slices())) {
      ServiceContext context = ServiceContext.from(PreprocessService.NAME, settings);
      ServiceLauncher.prepareKafka(context, PreprocessService.ownedTopics(context.topics()));
      launcher.launch(context, new PreprocessService(context, config), 0, s -> Map.of());
      producer.send(new ProducerRecord<>(topics.studies().name(), "discs-only", partial));
      producer.send(new ProducerRecord<>(topics.studies().name(), "complete", complete));
      producer.flush();
      summaries.awaitAtLeast(2, WAIT);

      List<Slice> out = slices.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
      List<Slice> partialSlices =
          out.stream().filter(s -> s.getStudyUid().equals("discs-only")).toList();
      assertThat(partialSlices).as("kept although vertebrae and canal are unlabelled").isNotEmpty();
      for (Slice slice : partialSlices) {
        LabelScope scope = slice.getLabelScope();
        assertThat(scope.getClasses()).containsExactly(LabelledClass.DISCS);
        assertThat(scope.getFirstRow()).isPositive();
        assertThat(scope.getLastRow()).isBetween(scope.getFirstRow(), slice.getHeight() - 1);
      }
      assertThat(partialSlices.stream().map(Slice::getLabelScope).distinct())
          .as("one scope for the whole study")
          .hasSize(1);
      assertThat(out.stream().filter(s -> s.getStudyUid().equals("complete")))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.getLabelScope()).isNull());
    }
  }

  /** The mask with vertebrae and canal unlabelled (values below 200 set to 0). */
  private static Image discsOnly(Image mask) {
    double[] values = mask.toDoubles();
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 200) {
        values[i] = 0;
      }
    }
    return Image.fromDoubles(mask.geometry(), mask.type(), values);
  }
}
