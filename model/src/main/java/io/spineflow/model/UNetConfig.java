package io.spineflow.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The architecture of a {@link UNet}: everything needed to rebuild the block that a params file
 * belongs to (DJL params files hold weights only). Stored as {@code architecture.json} beside the
 * weights and compared on load.
 *
 * <p>Profiles are configuration, not code: {@link #profile(String)} names the two sizes the design
 * fixes, and the {@code with…} methods derive others (e.g. a tiny net for tests).
 *
 * @param variant which U-Net
 * @param baseWidth channels of the first encoder level; level {@code i} has {@code baseWidth·2^i}
 * @param depth number of 2×2 max-pool downsamplings (encoder levels above the bottleneck)
 * @param bottleneckChannels channels of the two convolutions at the bottom of the U
 * @param inputHeight slice rows the model accepts; a multiple of {@code 2^depth}
 * @param inputWidth slice columns the model accepts; a multiple of {@code 2^depth}
 * @param classes output classes (4: background, vertebrae, spinal canal, discs)
 * @param dropout dropout rate after each encoder block and the bottleneck; 0 disables it
 * @param leakySlope negative slope of the LeakyReLU in the modified upsample block
 */
public record UNetConfig(
    UNetVariant variant,
    int baseWidth,
    int depth,
    int bottleneckChannels,
    int inputHeight,
    int inputWidth,
    int classes,
    float dropout,
    float leakySlope) {

  /** The four classes of spineflow's merged labels. */
  public static final int SPINE_CLASSES = 4;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Validates every field so a bad config fails here, not deep inside PyTorch. */
  public UNetConfig {
    Objects.requireNonNull(variant, "variant");
    require(baseWidth >= 1, "baseWidth must be >= 1: " + baseWidth);
    require(depth >= 1 && depth <= 7, "depth must be in 1..7: " + depth);
    require(bottleneckChannels >= 1, "bottleneckChannels must be >= 1: " + bottleneckChannels);
    int step = 1 << depth;
    require(
        inputHeight >= step && inputHeight % step == 0,
        "inputHeight " + inputHeight + " must be a positive multiple of 2^depth = " + step);
    require(
        inputWidth >= step && inputWidth % step == 0,
        "inputWidth " + inputWidth + " must be a positive multiple of 2^depth = " + step);
    // Classes travel as bytes (argmax masks), so at most 127.
    require(classes >= 2 && classes <= Byte.MAX_VALUE, "classes must be in 2..127: " + classes);
    require(dropout >= 0f && dropout < 1f, "dropout must be in [0, 1): " + dropout);
    require(leakySlope >= 0f && leakySlope < 1f, "leakySlope must be in [0, 1): " + leakySlope);
  }

  /**
   * A named profile.
   *
   * <ul>
   *   <li>{@code cpu} (the default): base width 16, 4 downsamplings, 256-channel bottleneck,
   *       128×128 slices. Trains in minutes on 2 cores (≈1.9 M parameters).
   *   <li>{@code paper}: Ahmed et al.'s size for a GPU: base width 64 doubling to the paper's
   *       512-channel layer at the bottom (64-128-256 encoder, 512 bottleneck), and the paper's
   *       full-resolution 512 by 640 slices (read as width × height: sagittal lumbar fields of view
   *       are taller than deep).
   * </ul>
   *
   * Dropout 0.1 in both: the paper uses dropout in the encoder but does not state its rate.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static UNetConfig profile(String name) {
    return switch (Objects.requireNonNull(name, "profile name")) {
      case "cpu" ->
          new UNetConfig(
              UNetVariant.MODIFIED_UNET, 16, 4, 256, 128, 128, SPINE_CLASSES, 0.1f, 0.1f);
      case "paper" ->
          new UNetConfig(
              UNetVariant.MODIFIED_UNET, 64, 3, 512, 640, 512, SPINE_CLASSES, 0.1f, 0.1f);
      default ->
          throw new IllegalArgumentException(
              "unknown model profile '" + name + "'; known: " + profileNames());
    };
  }

  /** The names {@link #profile(String)} accepts. */
  public static List<String> profileNames() {
    return List.of("cpu", "paper");
  }

  /** The {@code cpu} profile. */
  public static UNetConfig defaults() {
    return profile("cpu");
  }

  /** Channels of encoder (and decoder) level {@code level}, 0 being full resolution. */
  public int levelWidth(int level) {
    return baseWidth << level;
  }

  /** Total downsampling factor {@code 2^depth}: the bottleneck is this much smaller. */
  public int downsampling() {
    return 1 << depth;
  }

  /** This config with another variant. */
  public UNetConfig withVariant(UNetVariant newVariant) {
    return new UNetConfig(
        newVariant,
        baseWidth,
        depth,
        bottleneckChannels,
        inputHeight,
        inputWidth,
        classes,
        dropout,
        leakySlope);
  }

  /** This config with other channel widths and depth. */
  public UNetConfig withWidths(int newBaseWidth, int newDepth, int newBottleneckChannels) {
    return new UNetConfig(
        variant,
        newBaseWidth,
        newDepth,
        newBottleneckChannels,
        inputHeight,
        inputWidth,
        classes,
        dropout,
        leakySlope);
  }

  /** This config for slices of {@code width} columns and {@code height} rows. */
  public UNetConfig withInputSize(int width, int height) {
    return new UNetConfig(
        variant, baseWidth, depth, bottleneckChannels, height, width, classes, dropout, leakySlope);
  }

  /** This config with another dropout rate. */
  public UNetConfig withDropout(float newDropout) {
    return new UNetConfig(
        variant,
        baseWidth,
        depth,
        bottleneckChannels,
        inputHeight,
        inputWidth,
        classes,
        newDropout,
        leakySlope);
  }

  /**
   * Checks that a slice has this model's input size.
   *
   * @throws IllegalArgumentException naming both sizes otherwise
   */
  public void requireInputSize(int width, int height) {
    if (width != inputWidth || height != inputHeight) {
      throw new IllegalArgumentException(
          "slice is "
              + width
              + "×"
              + height
              + " (width×height) but the model expects "
              + inputWidth
              + "×"
              + inputHeight);
    }
  }

  /** The JSON stored as {@code architecture.json}. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + this, e);
    }
  }

  /**
   * Parses {@link #toJson()} output. Strict: unknown or missing fields are errors, so a file from a
   * newer or older architecture format is not silently read with defaults.
   *
   * @throws IllegalArgumentException if the JSON is not a valid config
   */
  public static UNetConfig fromJson(String json) {
    try {
      return JSON.readValue(json, UNetConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a valid UNetConfig: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The fields in which {@code other} differs from this config, as {@code "name: this ≠ other"},
   * for error messages; empty when equal.
   */
  public List<String> differences(UNetConfig other) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : UNetConfig.class.getRecordComponents()) {
      try {
        Object mine = c.getAccessor().invoke(this);
        Object theirs = c.getAccessor().invoke(other);
        if (!Objects.equals(mine, theirs)) {
          out.add(c.getName() + ": " + mine + " ≠ " + theirs);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
