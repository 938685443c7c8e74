package io.spineflow.model;

import io.spineflow.events.ModelArchitecture;
import java.util.Locale;

/**
 * The one mapping between a {@link UNetConfig} and the architecture an announcement on {@code
 * models} carries, so the trainer that announces and the inference service that verifies agree.
 * Variants travel as {@code modified-unet}, {@code plain-unet}, {@code inception-unet}.
 */
public final class ModelArchitectures {
  private ModelArchitectures() {}

  public static ModelArchitecture toEvent(UNetConfig config) {
    return ModelArchitecture.newBuilder()
        .setVariant(config.variant().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .setBaseWidth(config.baseWidth())
        .setDepth(config.depth())
        .setBottleneckChannels(config.bottleneckChannels())
        .setInputHeight(config.inputHeight())
        .setInputWidth(config.inputWidth())
        .setClasses(config.classes())
        .setDropout(config.dropout())
        .setLeakySlope(config.leakySlope())
        .build();
  }

  /**
   * @throws IllegalArgumentException when the variant is unknown or a value is out of range
   */
  public static UNetConfig fromEvent(ModelArchitecture event) {
    UNetVariant variant;
    try {
      variant = UNetVariant.valueOf(event.getVariant().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown model variant '" + event.getVariant() + "'", e);
    }
    return new UNetConfig(
        variant,
        event.getBaseWidth(),
        event.getDepth(),
        event.getBottleneckChannels(),
        event.getInputHeight(),
        event.getInputWidth(),
        event.getClasses(),
        (float) event.getDropout(),
        (float) event.getLeakySlope());
  }
}
