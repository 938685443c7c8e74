package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.ModelArchitecture;
import org.junit.jupiter.api.Test;

class ModelArchitecturesTest {
  @Test
  void everyProfileAndVariantRoundTrips() {
    for (String profile : UNetConfig.profileNames()) {
      for (UNetVariant variant : UNetVariant.values()) {
        UNetConfig config = UNetConfig.profile(profile).withVariant(variant);
        assertThat(ModelArchitectures.fromEvent(ModelArchitectures.toEvent(config)))
            .isEqualTo(config);
      }
    }
    assertThat(ModelArchitectures.toEvent(UNetConfig.defaults()).getVariant())
        .isEqualTo("modified-unet");
  }

  @Test
  void anUnknownVariantIsRefused() {
    ModelArchitecture event =
        ModelArchitecture.newBuilder(ModelArchitectures.toEvent(UNetConfig.defaults()))
            .setVariant("transformer")
            .build();
    assertThatThrownBy(() -> ModelArchitectures.fromEvent(event))
        .hasMessageContaining("unknown model variant 'transformer'");
  }
}
