package io.spineflow.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded segmentation network ready to serve: the DJL {@link Model} holding the {@link UNet}'s
 * weights in native memory, its architecture, and where it came from.
 *
 * <p>Thread use: the model itself may be shared, but a {@link Predictor} is not thread-safe, so
 * each thread takes its own from {@link #newPredictor()} (≈50 µs). {@link #close()} frees the
 * native memory; predictors must be closed first and not used afterwards.
 *
 * <pre>{@code
 * try (SegmentationModel model = store.load(name, version, sha256, config)) {
 *   model.warmUp();
 *   try (Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
 *     List<Segmentation> masks = predictor.batchPredict(slices); // one forward pass
 *   }
 * }
 * }</pre>
 */
public final class SegmentationModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);

  private final Model model;
  private final UNetConfig config;
  private final StoredModel source;
  private final SliceSegmentationTranslator translator;

  SegmentationModel(Model model, UNetConfig config, StoredModel source) {
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    this.source = source;
    this.translator = new SliceSegmentationTranslator(config);
  }

  /**
   * A model with fresh Glorot-uniform weights: for tests, benchmarks and smoke checks of the
   * serving path, never for real predictions.
   *
   * @param config the architecture
   * @param device where to run; see {@link Devices#best()}
   * @param seed seeds PyTorch's generator (globally, for this process) before initialisation
   */
  public static SegmentationModel untrained(UNetConfig config, Device device, int seed) {
    DjlEngine.ensureStarted().setRandomSeed(seed);
    Model model = Model.newInstance("untrained-unet", device, DjlEngine.ENGINE_NAME);
    try {
      UNet unet = new UNet(config);
      model.setBlock(unet);
      unet.initialize(model.getNDManager(), DataType.FLOAT32, unet.inputShape(1));
      return new SegmentationModel(model, config, null);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The architecture. */
  public UNetConfig config() {
    return config;
  }

  /** The store entry this model was loaded from; empty for {@link #untrained} models. */
  public Optional<StoredModel> source() {
    return Optional.ofNullable(source);
  }

  /** The translator predictors use; its {@code validate} checks slices before batching. */
  public SliceSegmentationTranslator translator() {
    return translator;
  }

  /** The underlying DJL model (block, native manager); closing it is this object's job. */
  public Model djlModel() {
    return model;
  }

  /** A new predictor for one thread; close it when the thread is done. */
  public Predictor<SliceInput, Segmentation> newPredictor() {
    return model.newPredictor(translator);
  }

  /** {@link #warmUp(int)} with one slice. */
  public Duration warmUp() throws ModelRejectedException {
    return warmUp(1);
  }

  /**
   * Runs one batch of synthetic slices (a smooth gradient with a bright blob, deterministic) and
   * checks that every output probability is finite. Call before swapping a new model in: it also
   * pays PyTorch's first-call cost for this batch size, so the first real batch is not slow.
   *
   * @param batchSize slices in the warm-up batch; use the serving batch size
   * @return how long the batch took
   * @throws ModelRejectedException with {@link ModelRejectedException.Reason#NAN_OUTPUT} if an
   *     output is NaN or infinite
   */
  public Duration warmUp(int batchSize) throws ModelRejectedException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    List<SliceInput> slices = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      slices.add(syntheticSlice(config.inputWidth(), config.inputHeight(), i));
    }
    long start = System.nanoTime();
    List<Segmentation> out;
    try (Predictor<SliceInput, Segmentation> predictor = newPredictor()) {
      out = predictor.batchPredict(slices);
    } catch (TranslateException e) {
      throw new IllegalStateException("warm-up batch failed for " + describe(), e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    for (int n = 0; n < out.size(); n++) {
      float[] p = out.get(n).probabilities();
      for (int i = 0; i < p.length; i++) {
        if (!Float.isFinite(p[i])) {
          throw new ModelRejectedException(
              ModelRejectedException.Reason.NAN_OUTPUT,
              describe() + " produced " + p[i] + " for warm-up slice " + n + " at index " + i);
        }
      }
    }
    LOG.info("{} warmed up: batch of {} in {} ms", describe(), batchSize, took.toMillis());
    return took;
  }

  /** Frees the model's native memory. */
  @Override
  public void close() {
    model.close();
  }

  /** {@code name/vN} or {@code untrained}, for logs. */
  public String describe() {
    return source == null ? "untrained model" : source.label();
  }

  static SliceInput syntheticSlice(int width, int height, int index) {
    float[] pixels = new float[width * height];
    double cx = width * (0.4 + 0.05 * (index % 5));
    double cy = height * 0.5;
    double r2 = Math.pow(Math.min(width, height) * 0.15, 2);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        pixels[y * width + x] = (float) (0.2 + 0.3 * y / height + (d2 < r2 ? 0.4 : 0.0));
      }
    }
    return new SliceInput(pixels, width, height);
  }
}
