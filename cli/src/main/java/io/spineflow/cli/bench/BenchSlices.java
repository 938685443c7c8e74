package io.spineflow.cli.bench;

import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.model.SliceInput;
import io.spineflow.schemas.SlicePixels;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Slices for the inference benchmarks: the same pixels go to the bare predictor and to Kafka. */
final class BenchSlices {
  private BenchSlices() {}

  /** {@code count} slices of {@code size}², smooth random blobs (seeded), as model inputs. */
  static List<SliceInput> inputs(int count, int size, long seed) {
    Random random = new Random(seed);
    List<SliceInput> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      float[] pixels = new float[size * size];
      double cx = size * (0.3 + 0.4 * random.nextDouble());
      double cy = size * (0.3 + 0.4 * random.nextDouble());
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          double d = Math.hypot(x - cx, y - cy) / size;
          pixels[y * size + x] =
              (float) Math.max(0, Math.min(1, 1 - 2 * d + 0.1 * random.nextGaussian()));
        }
      }
      out.add(new SliceInput(pixels, size, size));
    }
    return out;
  }

  /** The event carrying {@code input}, stamped now (latency is measured from this stamp). */
  static Slice event(String studyUid, int index, SliceInput input) {
    ByteBuffer pixels = SlicePixels.encode(input.pixels());
    Instant now = Instant.now();
    return Slice.newBuilder()
        .setStudyUid(studyUid)
        .setSliceIndex(index)
        .setSequence(Sequence.T2)
        .setWidth(input.width())
        .setHeight(input.height())
        .setPixels(pixels)
        .setLabel(null)
        .setPixelSpacing(List.of(1.0, 1.0))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(index)
        .setSagittalAxis(0)
        .setStudyReceivedAt(now)
        .setPreprocessedAt(now)
        .build();
  }
}
