package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.SIZE;
import static io.spineflow.inference.InferenceFixtures.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.Slice;
import io.spineflow.model.ModelStore;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch with every kind of poison in it, through a real (tiny) DJL model: each poisonous record
 * is one dead letter with its reason, field and limit, and every valid slice of the batch still
 * gets its mask and quality record.
 */
class BatchRunTest {
  private static final Topics TOPICS = new Topics("", 1);

  @TempDir static Path dir;
  private static ServedModel model;
  private final List<String> fields = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    ModelStore store = new ModelStore(dir.resolve("models"));
    model =
        new DjlModelLoader(dir.resolve("models"), 4, 1, 0)
            .load(TestModels.announce(TestModels.store(store, "m", 1)), false);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void everyPoisonKindIsOneDeadLetterAndTheValidSlicesOfTheBatchGetMasks() {
    List<PendingSlices.Waiting> batch = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    batch.add(waiting("valid/0", encode(slice("valid", 0, s -> {}))));
    for (PoisonRecords.Poison p : PoisonRecords.kinds(TOPICS, TOPICS.slices())) {
      batch.add(waiting("p/" + batch.size(), p.value(), p.headers()));
      expected.add(p.expectedReason());
      fields.add(null);
    }
    hostile(batch, expected, "pixels", s -> s.setPixels(filled(Float.NaN)));
    hostile(batch, expected, "pixels", s -> s.setPixels(filled(Float.POSITIVE_INFINITY)));
    hostile(batch, expected, "pixels", s -> s.setPixels(ByteBuffer.allocate(12)));
    hostile(batch, expected, "width", s -> s.setWidth(-3));
    hostile(batch, expected, "height", s -> s.setHeight(Integer.MAX_VALUE));
    hostile(batch, expected, "label", s -> s.setLabel(ByteBuffer.wrap(new byte[SIZE * SIZE + 1])));
    hostile(batch, expected, "pixelSpacing", s -> s.setPixelSpacing(List.of(1.0, Double.NaN)));
    hostile(batch, expected, "pixelSpacing", s -> s.setPixelSpacing(List.of(-1.0, 1.0)));
    batch.add(waiting("valid/1", encode(slice("valid", 1, s -> {}))));

    BatchRun.Result result =
        new BatchRun(TOPICS, new SliceOutputs(2.0)).run(batch, model, Instant.now());

    assertThat(result.segmented()).extracting(Slice::getSliceIndex).containsExactly(0, 1);
    assertThat(result.rejected()).isEqualTo(batch.size() - 2);
    assertThat(values(result, Mask.class)).extracting(Mask::getStudyUid).containsOnly("valid");
    List<DeadLetter> letters = values(result, DeadLetter.class);
    assertThat(letters).extracting(DeadLetter::getReasonCode).containsExactlyElementsOf(expected);
    for (int i = 0; i < letters.size(); i++) {
      if (fields.get(i) != null) {
        assertThat(letters.get(i).getField()).isEqualTo(fields.get(i));
      }
    }
    assertThat(letters).allMatch(d -> d.getLimit() != null && d.getStage().equals("inference"));
    assertThat(letters.get(letters.size() - 1).getLimit()).isEqualTo("finite values > 0 mm");
  }

  @Test
  void aBatchTheModelFailsOnIsSplitUntilTheFailingSliceIsAloneAndDeadLettered() {
    ServedModel failsOnMarkedSlice = new FailingOnMarker(model);
    List<PendingSlices.Waiting> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int index = i;
      batch.add(
          waiting(
              "s/" + i,
              encode(slice("s", i, s -> s.setPixels(filled(index == 2 ? MARKER : 0.5f))))));
    }

    BatchRun.Result result =
        new BatchRun(TOPICS, new SliceOutputs(2.0)).run(batch, failsOnMarkedSlice, Instant.now());

    assertThat(result.segmented()).extracting(Slice::getSliceIndex).containsExactly(0, 1, 3);
    List<DeadLetter> letters = values(result, DeadLetter.class);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getReasonCode()).isEqualTo("MODEL_FAILED_ON_SLICE");
    assertThat(letters.get(0).getOriginalLocation()).isEqualTo("slices/0/2");
    assertThat(letters.get(0).getStudyUid()).isEqualTo("s");
  }

  private static final float MARKER = 0.123f;

  /**
   * The real model, failing on any batch holding a slice whose first pixel is {@link #MARKER}: the
   * stand-in for a slice the network cannot take, which the contract check cannot foresee.
   */
  private record FailingOnMarker(ServedModel real) implements ServedModel {
    @Override
    public String name() {
      return real.name();
    }

    @Override
    public int version() {
      return real.version();
    }

    @Override
    public io.spineflow.events.ModelArchitecture architecture() {
      return real.architecture();
    }

    @Override
    public List<Prediction> predict(List<float[]> slices) {
      if (slices.stream().anyMatch(p -> p[0] == MARKER)) {
        throw new IllegalStateException("the network failed on this batch");
      }
      return real.predict(slices);
    }

    @Override
    public void close() {}
  }

  private void hostile(
      List<PendingSlices.Waiting> batch,
      List<String> expected,
      String field,
      Consumer<Slice.Builder> change) {
    int index = batch.size();
    batch.add(waiting("h/" + index, encode(slice("h", index, change))));
    expected.add("INVALID_VALUE");
    fields.add(field);
  }

  private static <T> List<T> values(BatchRun.Result result, Class<T> type) {
    return result.records().stream()
        .map(ProducerRecord::value)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static Slice slice(String study, int index, Consumer<Slice.Builder> change) {
    Slice.Builder b = Slice.newBuilder(InferenceFixtures.slice(study, index, null));
    change.accept(b);
    return b.build();
  }

  private static byte[] encode(Slice slice) {
    return TOPICS.slices().valueSerde().serializer().serialize(TOPICS.slices().name(), slice);
  }

  private static PendingSlices.Waiting waiting(String key, byte[] value) {
    return waiting(key, value, new RecordHeaders());
  }

  private static PendingSlices.Waiting waiting(
      String key, byte[] value, org.apache.kafka.common.header.Headers headers) {
    String[] parts = key.split("/");
    int offset = Integer.parseInt(parts[1]);
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>(
            TOPICS.slices().name(),
            0,
            offset,
            0L,
            TimestampType.CREATE_TIME,
            0,
            value == null ? 0 : value.length,
            new SliceKey(parts[0], offset).toString(),
            value,
            headers,
            java.util.Optional.empty());
    return new PendingSlices.Waiting(record, System.nanoTime());
  }
}
