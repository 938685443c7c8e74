package io.spineflow.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parameter counts of a {@link UNet}, per top-level block and in total.
 *
 * @param config the architecture counted
 * @param blocks one row per child block of the U-Net, in forward order of construction
 * @param trainable parameters updated by the optimiser
 * @param nonTrainable BatchNorm running statistics (stored in the weights file, not trained)
 */
public record ModelSummary(
    UNetConfig config, List<BlockCount> blocks, long trainable, long nonTrainable) {

  /**
   * One block's parameter count.
   *
   * @param name the child block's name ({@code enc0}, {@code bottleneck}, {@code up0}, …)
   * @param description what the block is
   * @param trainable parameters updated by the optimiser
   * @param nonTrainable running statistics
   */
  public record BlockCount(String name, String description, long trainable, long nonTrainable) {}

  /** Copies the row list so the record is immutable. */
  public ModelSummary {
    blocks = List.copyOf(blocks);
  }

  /** All parameters, trainable or not. */
  public long total() {
    return trainable + nonTrainable;
  }

  /**
   * Builds the block for {@code config}, initialises it on a scratch manager (CPU, freed before
   * returning) and counts its parameters.
   */
  public static ModelSummary describe(UNetConfig config) {
    DjlEngine.ensureStarted();
    UNet unet = new UNet(config);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      unet.initialize(manager, DataType.FLOAT32, unet.inputShape(1));
      List<BlockCount> rows = new ArrayList<>();
      long trainable = 0;
      long fixed = 0;
      for (Pair<String, Block> child : unet.getChildren()) {
        long t = 0;
        long f = 0;
        for (Pair<String, Parameter> p : child.getValue().getParameters()) {
          long size = p.getValue().getArray().size();
          if (p.getValue().requiresGradient()) {
            t += size;
          } else {
            f += size;
          }
        }
        rows.add(new BlockCount(displayName(child.getKey()), describe(child.getValue()), t, f));
        trainable += t;
        fixed += f;
      }
      return new ModelSummary(config, rows, trainable, fixed);
    }
  }

  /** A fixed-width table, one block per line, totals last. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%s %s, base width %d, depth %d, bottleneck %d, input %d×%d (w×h), %d classes%n",
            config.variant(),
            "U-Net",
            config.baseWidth(),
            config.depth(),
            config.bottleneckChannels(),
            config.inputWidth(),
            config.inputHeight(),
            config.classes()));
    out.append(
        String.format(Locale.ROOT, "%-11s %-38s %12s %10s%n", "block", "", "trainable", "fixed"));
    for (BlockCount b : blocks) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-11s %-38s %,12d %,10d%n",
              b.name(),
              b.description(),
              b.trainable(),
              b.nonTrainable()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%-11s %-38s %,12d %,10d%ntotal %,d parameters (%.1f MB as float32)%n",
            "sum",
            "",
            trainable,
            nonTrainable,
            total(),
            total() * 4 / 1e6));
    return out.toString();
  }

  /** DJL prefixes child names with their position ({@code 01enc0}); drop it for display. */
  private static String displayName(String key) {
    return key.replaceFirst("^\\d+", "");
  }

  /** What the block is, with its channels and resolution, e.g. {@code 2×conv3×3 1→16 @128×128}. */
  private static String describe(Block block) {
    Shape in = block.getInputShapes()[0];
    Shape out = block.getOutputShapes(block.getInputShapes())[0];
    String kind;
    if (block instanceof TransposedConv2x2) {
      kind = "up-conv 2×2/2";
    } else if (block instanceof InceptionStem) {
      kind = "inception";
    } else if (block instanceof SequentialBlock seq) {
      boolean dropout = seq.getChildren().values().stream().anyMatch(b -> b instanceof Dropout);
      kind = dropout ? "2×conv3×3+BN+ReLU+drop" : "2×conv3×3+BN+ReLU";
    } else {
      kind = "conv1×1";
    }
    return String.format(
        Locale.ROOT, "%s %d→%d @%d×%d", kind, in.get(1), out.get(1), out.get(3), out.get(2));
  }

  /**
   * Prints the summary of each profile named on the command line (default: all profiles).
   *
   * @param args profile names
   */
  public static void main(String[] args) {
    List<String> names = args.length == 0 ? UNetConfig.profileNames() : List.of(args);
    for (String name : names) {
      System.out.println("profile " + name + ":");
      System.out.println(describe(UNetConfig.profile(name)).format());
    }
  }
}
