package io.spineflow.model;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scratch measurement (not a test): train-step time and inference time per slice for a profile at a
 * batch size, on synthetic slices. Run with {@code java -cp <test classpath>
 * io.spineflow.model.CpuProfileCost [profile] [batch] [steps]}. Timings on a shared machine vary;
 * the median is printed.
 */
public final class CpuProfileCost {

  private CpuProfileCost() {}

  public static void main(String[] args) throws Exception {
    String profile = args.length > 0 ? args[0] : "cpu";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    DjlEngine.ensureStarted();
    UNetConfig config = UNetConfig.profile(profile);
    List<LabelledSlice> data =
        SyntheticSlices.generate(batch * 4, config.inputWidth(), config.inputHeight(), 1);
    long[] train = new long[steps];
    try (SegmentationTrainer trainer =
        SegmentationTrainer.builder().setConfig(config).optDevice(Device.cpu()).build()) {
      for (int i = 0; i < 3; i++) {
        trainer.step(data.subList(0, batch)); // warm-up
      }
      for (int i = 0; i < steps; i++) {
        int from = (i % 4) * batch;
        train[i] = trainer.step(data.subList(from, from + batch)).duration().toNanos();
      }
    }
    long[] infer = new long[steps];
    List<SliceInput> inputs = new ArrayList<>();
    for (LabelledSlice s : data.subList(0, batch)) {
      inputs.add(s.input());
    }
    long[] single = new long[steps];
    try (SegmentationModel model = SegmentationModel.untrained(config, Device.cpu(), 1);
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      model.warmUp(batch);
      model.warmUp(1);
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        predictor.batchPredict(inputs);
        infer[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        predictor.predict(inputs.get(0));
        single[i] = System.nanoTime() - t0;
      }
    }
    System.out.printf(
        "profile %s, batch %d, %d threads: train step median %.0f ms; inference batch median %.0f"
            + " ms = %.1f ms/slice; batch of 1: %.1f ms/slice%n",
        profile,
        batch,
        Integer.getInteger("ai.djl.pytorch.num_threads", 0),
        median(train) / 1e6,
        median(infer) / 1e6,
        median(infer) / 1e6 / batch,
        median(single) / 1e6);
  }

  private static double median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
