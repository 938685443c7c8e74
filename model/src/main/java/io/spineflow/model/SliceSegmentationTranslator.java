package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Slices in, segmentations out, for a {@link UNet}.
 *
 * <p>A {@code Translator<SliceInput, Segmentation>} with a (non-null) batchifier, so DJL's {@code
 * predictor.batchPredict(slices)} runs N slices as <em>one</em> forward pass: DJL (0.36) then calls
 * {@link #batchProcessInput} once for the whole list and {@link #batchProcessOutput} once for the
 * batch's logits (a translator without a batchifier would be run slice by slice). Both are
 * overridden to build the {@code [N, 1, H, W]} input from one heap array and to copy all outputs
 * back in one transfer, instead of stacking N single-slice arrays. {@code predict(slice)} is a
 * batch of one.
 *
 * <p>The pure parts, {@link #toInputArray} and {@link #fromLogits}, need no model and are
 * unit-tested alone. Results are copied to the Java heap: arrays created in the translator context
 * are freed when the predict call returns.
 *
 * <p>Errors: a slice whose size differs from the model's input, or with NaN/infinite pixels, is an
 * {@link IllegalArgumentException} naming the sizes; DJL's predictor wraps it in a {@code
 * TranslateException}. Check slices with {@link #validate} first to reject them individually
 * instead of failing the whole batch.
 */
public final class SliceSegmentationTranslator implements Translator<SliceInput, Segmentation> {

  private final UNetConfig config;
  private final int width;
  private final int height;

  /** A translator for slices of the size {@code config} expects. */
  public SliceSegmentationTranslator(UNetConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.width = config.inputWidth();
    this.height = config.inputHeight();
  }

  /** Stacking along a new first axis: what {@link #processInput}/{@link #processOutput} assume. */
  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  /**
   * Checks one slice.
   *
   * @throws IllegalArgumentException if its size is not the model's or a pixel is not finite
   */
  public void validate(SliceInput slice) {
    Objects.requireNonNull(slice, "slice");
    config.requireInputSize(slice.width(), slice.height());
    float[] p = slice.pixels();
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new IllegalArgumentException(
            "slice pixel " + i + " (x=" + i % width + ", y=" + i / width + ") is " + p[i]);
      }
    }
  }

  /**
   * The network input for {@code slices}: one {@code [N, 1, H, W]} float32 array in {@code
   * manager}, built from a single heap copy.
   *
   * @throws IllegalArgumentException if the list is empty or a slice fails {@link #validate}
   */
  public NDArray toInputArray(NDManager manager, List<SliceInput> slices) {
    if (slices.isEmpty()) {
      throw new IllegalArgumentException("no slices to segment");
    }
    int plane = width * height;
    float[] all = new float[slices.size() * plane];
    for (int n = 0; n < slices.size(); n++) {
      SliceInput slice = slices.get(n);
      validate(slice);
      System.arraycopy(slice.pixels(), 0, all, n * plane, plane);
    }
    return manager.create(all, new Shape(slices.size(), 1, height, width));
  }

  /**
   * Softmax probabilities and argmax classes of a batch of logits {@code [N, C, H, W]}, copied to
   * the heap.
   */
  public static List<Segmentation> fromLogits(NDArray logits) {
    Shape s = logits.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("expected logits [N, C, H, W], got " + s);
    }
    int n = Math.toIntExact(s.get(0));
    int classes = Math.toIntExact(s.get(1));
    int h = Math.toIntExact(s.get(2));
    int w = Math.toIntExact(s.get(3));
    // One transfer each for the whole batch; argmax on the logits equals argmax on the softmax.
    float[] probabilities = logits.softmax(1).toFloatArray();
    byte[] labels = logits.argMax(1).toType(DataType.INT8, false).toByteArray();
    int plane = h * w;
    List<Segmentation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Segmentation(
              Arrays.copyOfRange(labels, i * plane, (i + 1) * plane),
              Arrays.copyOfRange(probabilities, i * classes * plane, (i + 1) * classes * plane),
              w,
              h));
    }
    return out;
  }

  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<SliceInput> inputs) {
    return new NDList(toInputArray(ctx.getNDManager(), inputs));
  }

  @Override
  public List<Segmentation> batchProcessOutput(TranslatorContext ctx, NDList list) {
    // A dual-output (INCEPTION_UNET) block also returns its auxiliary logits: ignore them.
    return fromLogits(list.get(0));
  }

  /** One slice as {@code [1, H, W]}, for callers that batchify themselves with {@code STACK}. */
  @Override
  public NDList processInput(TranslatorContext ctx, SliceInput input) {
    return new NDList(toInputArray(ctx.getNDManager(), List.of(input)).squeeze(0));
  }

  /** One slice's logits {@code [C, H, W]}, as unbatchified by {@code STACK}. */
  @Override
  public Segmentation processOutput(TranslatorContext ctx, NDList list) {
    return fromLogits(list.get(0).expandDims(0)).get(0);
  }
}
