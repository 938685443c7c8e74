package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UNetConfigTest {

  @Test
  void cpuProfileIsTheDesignDefault() {
    UNetConfig cpu = UNetConfig.profile("cpu");
    assertThat(cpu).isEqualTo(UNetConfig.defaults());
    assertThat(cpu.variant()).isEqualTo(UNetVariant.MODIFIED_UNET);
    assertThat(cpu.baseWidth()).isEqualTo(16);
    assertThat(cpu.inputWidth()).isEqualTo(128);
    assertThat(cpu.inputHeight()).isEqualTo(128);
    assertThat(cpu.classes()).isEqualTo(4);
    assertThat(cpu.leakySlope()).isEqualTo(0.1f);
  }

  @Test
  void paperProfileHasBaseWidth64AndThe512ChannelLayer() {
    UNetConfig paper = UNetConfig.profile("paper");
    assertThat(paper.baseWidth()).isEqualTo(64);
    assertThat(paper.bottleneckChannels()).isEqualTo(512);
    assertThat(paper.levelWidth(paper.depth() - 1) * 2).isEqualTo(512);
    assertThat(paper.inputWidth()).isEqualTo(512);
    assertThat(paper.inputHeight()).isEqualTo(640);
  }

  @Test
  void unknownProfileNamesTheKnownOnes() {
    assertThatThrownBy(() -> UNetConfig.profile("gpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpu")
        .hasMessageContaining("paper");
  }

  @Test
  void jsonRoundTripIsExact() {
    for (String name : UNetConfig.profileNames()) {
      UNetConfig c = UNetConfig.profile(name);
      assertThat(UNetConfig.fromJson(c.toJson())).isEqualTo(c);
    }
    UNetConfig odd =
        UNetConfig.profile("cpu")
            .withVariant(UNetVariant.INCEPTION_UNET)
            .withWidths(12, 2, 40)
            .withInputSize(96, 64)
            .withDropout(0.35f);
    assertThat(UNetConfig.fromJson(odd.toJson())).isEqualTo(odd);
    assertThat(odd.toJson()).contains("\"variant\" : \"INCEPTION_UNET\"");
  }

  @Test
  void jsonParsingIsStrict() {
    String json = UNetConfig.profile("cpu").toJson();
    assertThatThrownBy(() -> UNetConfig.fromJson(json.replace("{", "{\"extra\" : 1,")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extra");
    assertThatThrownBy(
            () -> UNetConfig.fromJson(json.replaceAll("\"leakySlope\" : [0-9.]+", "\"x\" : 0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> UNetConfig.fromJson(json.replace("\"baseWidth\" : 16", "\"baseWidth\" : 0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseWidth");
    assertThatThrownBy(() -> UNetConfig.fromJson("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputSizeMustSurviveEveryDownsampling() {
    assertThatThrownBy(() -> UNetConfig.profile("cpu").withInputSize(120, 128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputWidth 120")
        .hasMessageContaining("16");
  }

  @Test
  void differencesNameTheFields() {
    UNetConfig a = UNetConfig.profile("cpu");
    assertThat(a.differences(a)).isEmpty();
    assertThat(a.differences(a.withWidths(32, 4, 256))).containsExactly("baseWidth: 16 ≠ 32");
  }

  @Test
  void requireInputSizeNamesBothSizes() {
    assertThatThrownBy(() -> UNetConfig.profile("cpu").requireInputSize(256, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256×200")
        .hasMessageContaining("128×128");
  }
}
