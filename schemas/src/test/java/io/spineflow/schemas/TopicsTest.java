package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void namesFollowTheDesignAndShareOnePrefix() {
    assertThat(Topics.defaults().all())
        .extracting(Topic::name)
        .containsExactly(
            "studies.upload",
            "studies",
            "slices",
            "slices.summary",
            "masks",
            "quality",
            "segmentations",
            "models",
            "retrain",
            "training",
            "deadletter",
            "audit");
    assertThat(new Topics("prod.", 6).all())
        .allSatisfy(t -> assertThat(t.name()).startsWith("prod."));
  }

  @Test
  void modelsIsCompactedWithOnePartitionAndDataTopicsUseTheConfiguredCount() {
    Topics topics = new Topics("", 6);
    assertThat(topics.models().settings().compacted()).isTrue();
    assertThat(topics.models().settings().partitions()).isEqualTo(1);
    assertThat(topics.models().settings().kafkaConfigs())
        .containsEntry("cleanup.policy", "compact");
    assertThat(topics.slices().settings().partitions()).isEqualTo(6);
    assertThat(topics.studies().settings().maxMessageBytes())
        .isGreaterThan(Topics.STUDY_INLINE_MAX_BYTES);
  }

  @Test
  void theGalleryTopicsAreCoPartitionedAndTheOnePartitionTopicsExact() {
    Topics topics = new Topics("p.", 6);
    assertThat(topics.slices().settings().coPartitionedWith())
        .containsExactly("p.masks", "p.quality");
    assertThat(topics.masks().settings().coPartitionedWith())
        .containsExactly("p.slices", "p.quality");
    assertThat(topics.quality().settings().coPartitionedWith())
        .containsExactly("p.slices", "p.masks");
    assertThat(List.of(topics.models(), topics.training(), topics.audit()))
        .allSatisfy(t -> assertThat(t.settings().exactPartitions()).isTrue());
    // A change of count keeps the constraints.
    assertThat(topics.masks().settings().withPartitions(12).coPartitionedWith()).hasSize(2);
    assertThat(topics.studies().settings().exactPartitions()).isFalse();
    assertThat(topics.studies().settings().coPartitionedWith()).isEmpty();
  }

  @Test
  void auditIsAppendOnlyAndKeptForever() {
    TopicSettings audit = Topics.defaults().audit().settings();
    assertThat(audit.compacted()).isFalse();
    assertThat(audit.kafkaConfigs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "-1");
    assertThat(audit.partitions()).isEqualTo(1);
  }

  @Test
  void sliceRoundTripsThroughItsTopicSerde() {
    Slice slice =
        Slice.newBuilder()
            .setStudyUid("study-1")
            .setSliceIndex(7)
            .setSequence(Sequence.T2_SPACE)
            .setWidth(2)
            .setHeight(1)
            .setPixels(ByteBuffer.wrap(new byte[8]))
            .setLabel(ByteBuffer.wrap(new byte[] {1, 3}))
            .setPixelSpacing(List.of(0.5, 0.5))
            .setSliceThickness(0.9)
            .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
            .setSourceSliceIndex(3)
            .setSagittalAxis(2)
            .setStudyReceivedAt(Instant.ofEpochMilli(1))
            .setPreprocessedAt(Instant.ofEpochMilli(2))
            .build();
    Topic<String, Slice> topic = Topics.defaults().slices();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), headers, slice);

    assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), headers, bytes))
        .isEqualTo(slice);
    assertThat(headers.lastHeader(AvroSerde.SCHEMA_HEADER)).isNotNull();
  }

  @Test
  void sliceKeyRoundTripsAndRejectsBadKeys() {
    SliceKey key = new SliceKey("1.2.840.113619", 12);
    assertThat(SliceKey.parse(key.toString())).isEqualTo(key);
    assertThatThrownBy(() -> SliceKey.parse("no-index"))
        .hasMessageContaining("studyUid/sliceIndex");
    assertThatThrownBy(() -> new SliceKey("a/b", 1)).hasMessageContaining("no '/'");
  }

  @Test
  void everyEventSchemaIsDocumented() {
    assertThat(ModelAnnouncement.getClassSchema().getDoc()).contains("compacted");
    assertThat(Topics.defaults().all())
        .filteredOn(t -> t.valueSerde() instanceof AvroSerde<?>)
        .allSatisfy(
            t -> assertThat(((AvroSerde<?>) t.valueSerde()).schema().getDoc()).isNotBlank());
  }
}
