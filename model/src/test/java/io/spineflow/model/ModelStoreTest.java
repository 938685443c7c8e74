package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  private static final UNetConfig SMALL =
      UNetConfig.profile("cpu").withWidths(4, 2, 8).withInputSize(32, 32);

  @TempDir Path root;

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  private StoredModel saveUntrained(ModelStore store, String name, int version, UNetConfig config)
      throws IOException {
    try (SegmentationModel model = SegmentationModel.untrained(config, Device.cpu(), version)) {
      return store.save(name, version, model.djlModel(), config, Map.of("valDice", 0.5));
    }
  }

  @Test
  void saveThenLoadGivesIdenticalPredictions() throws Exception {
    ModelStore store = new ModelStore(root);
    List<SliceInput> slices =
        SyntheticSlices.generate(3, 32, 32, 8).stream().map(LabelledSlice::input).toList();
    List<Segmentation> before;
    StoredModel stored;
    try (SegmentationModel model = SegmentationModel.untrained(SMALL, Device.cpu(), 4)) {
      before = predict(model, slices);
      stored = store.save("spine", 1, model.djlModel(), SMALL, Map.of("valDice", 0.91, "by", "t"));
    }
    assertThat(stored.directory()).isEqualTo(root.resolve("spine").resolve("v1"));
    assertThat(stored.sha256()).isEqualTo(sha256(stored.weightsFile()));
    assertThat(stored.config()).isEqualTo(SMALL);
    try (Stream<Path> files = Files.list(stored.directory())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("weights.params", "architecture.json", "metadata.json");
    }
    try (Stream<Path> siblings = Files.list(root.resolve("spine"))) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("v1");
    }
    assertThat(store.metadata("spine", 1)).containsEntry("valDice", 0.91).containsEntry("by", "t");
    assertThat(ModelStore.inspect(stored.directory())).isEqualTo(stored);

    try (SegmentationModel loaded = store.load("spine", 1, stored.sha256().toUpperCase(), SMALL)) {
      assertThat(loaded.source()).contains(stored);
      List<Segmentation> after = predict(loaded, slices);
      for (int i = 0; i < slices.size(); i++) {
        assertThat(after.get(i).classes()).containsExactly(before.get(i).classes());
        assertThat(after.get(i).probabilities())
            .containsExactly(
                before.get(i).probabilities(), org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void versionsAreImmutableAndListed() throws IOException {
    ModelStore store = new ModelStore(root);
    assertThat(store.latestVersion("spine")).isEmpty();
    saveUntrained(store, "spine", 1, SMALL);
    saveUntrained(store, "spine", 2, SMALL);
    assertThatThrownBy(() -> saveUntrained(store, "spine", 2, SMALL))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(store.versions("spine")).containsExactly(1, 2);
    assertThat(store.latestVersion("spine")).hasValue(2);
    assertThatThrownBy(() -> store.directory("../etc", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.directory("spine", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tamperedWeightsAreAChecksumMismatch() throws IOException {
    ModelStore store = new ModelStore(root);
    StoredModel stored = saveUntrained(store, "spine", 1, SMALL);
    byte[] bytes = Files.readAllBytes(stored.weightsFile());
    bytes[bytes.length - 3] ^= 0x01; // one bit of one weight
    Files.write(stored.weightsFile(), bytes);
    assertRejected(
        () -> store.load("spine", 1, stored.sha256(), SMALL),
        ModelRejectedException.Reason.CHECKSUM_MISMATCH,
        stored.sha256());
  }

  @Test
  void anotherArchitectureIsAnArchitectureMismatch() throws IOException {
    ModelStore store = new ModelStore(root);
    StoredModel stored = saveUntrained(store, "spine", 1, SMALL);
    UNetConfig expected = SMALL.withVariant(UNetVariant.PLAIN_UNET);
    assertRejected(
        () -> store.load("spine", 1, stored.sha256(), expected),
        ModelRejectedException.Reason.ARCHITECTURE_MISMATCH,
        "variant: PLAIN_UNET ≠ MODIFIED_UNET");
    Files.writeString(stored.directory().resolve("architecture.json"), "{ \"variant\" : ");
    assertRejected(
        () -> store.load("spine", 1, stored.sha256(), SMALL),
        ModelRejectedException.Reason.ARCHITECTURE_MISMATCH,
        "unreadable");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    ModelStore store = new ModelStore(root);
    StoredModel stored = saveUntrained(store, "spine", 1, SMALL);
    Files.delete(stored.directory().resolve("metadata.json"));
    assertRejected(
        () -> store.load("spine", 1, stored.sha256(), SMALL),
        ModelRejectedException.Reason.MISSING_FILE,
        "metadata.json");
    assertRejected(
        () -> store.load("spine", 7, stored.sha256(), SMALL),
        ModelRejectedException.Reason.MISSING_FILE,
        "weights.params");
  }

  @Test
  void weightsThatDoNotParseOrFitAreCorrupt() throws Exception {
    ModelStore store = new ModelStore(root);
    // Truncated, with a matching checksum (the announcer hashed the broken file).
    StoredModel stored = saveUntrained(store, "spine", 1, SMALL);
    byte[] bytes = Files.readAllBytes(stored.weightsFile());
    Files.write(stored.weightsFile(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    String truncatedSha = sha256(stored.weightsFile());
    assertRejected(
        () -> store.load("spine", 1, truncatedSha, SMALL),
        ModelRejectedException.Reason.CORRUPT_WEIGHTS,
        "weights.params");

    // Weights of a wider net under an architecture.json that claims the expected one.
    UNetConfig wider = SMALL.withWidths(6, 2, 8);
    StoredModel other = saveUntrained(store, "spine", 2, wider);
    Files.writeString(other.directory().resolve("architecture.json"), SMALL.toJson());
    assertRejected(
        () -> store.load("spine", 2, other.sha256(), SMALL),
        ModelRejectedException.Reason.CORRUPT_WEIGHTS,
        "architecture expects");

    // Trailing bytes after a complete parameter set.
    StoredModel third = saveUntrained(store, "spine", 3, SMALL);
    Files.write(third.weightsFile(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    String paddedSha = sha256(third.weightsFile());
    assertRejected(
        () -> store.load("spine", 3, paddedSha, SMALL),
        ModelRejectedException.Reason.CORRUPT_WEIGHTS,
        "3 bytes after the last parameter");
  }

  private static List<Segmentation> predict(SegmentationModel model, List<SliceInput> slices)
      throws TranslateException {
    try (Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      return predictor.batchPredict(slices);
    }
  }

  private interface Load {
    SegmentationModel run() throws ModelRejectedException;
  }

  private static void assertRejected(Load load, ModelRejectedException.Reason reason, String text) {
    assertThatThrownBy(
            () -> {
              try (SegmentationModel unexpected = load.run()) {
                // loaded: the assertion below fails
              }
            })
        .isInstanceOf(ModelRejectedException.class)
        .hasMessageContaining(text)
        .satisfies(e -> assertThat(((ModelRejectedException) e).reason()).isEqualTo(reason));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
