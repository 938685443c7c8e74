package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The device setting's grammar and resolution, without probing CUDA (no engine needed). */
class DeviceChoiceTest {

  @Test
  void parsesEveryForm() {
    assertThat(DeviceChoice.parse(null)).isEqualTo(DeviceChoice.AUTO);
    assertThat(DeviceChoice.parse(" ")).isEqualTo(DeviceChoice.AUTO);
    assertThat(DeviceChoice.parse(" Auto ")).isEqualTo(DeviceChoice.AUTO);
    assertThat(DeviceChoice.parse("CPU")).isEqualTo(DeviceChoice.CPU);
    assertThat(DeviceChoice.parse("gpu")).isEqualTo(new DeviceChoice("gpu", true, 0));
    assertThat(DeviceChoice.parse("gpu3")).isEqualTo(new DeviceChoice("gpu3", true, 3));
  }

  @Test
  void refusesAnythingElse() {
    for (String bad : new String[] {"tpu", "gpu-1", "gpu1x", "cuda", "gpu12345", "cpu0"}) {
      assertThatThrownBy(() -> DeviceChoice.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("device '" + bad + "': expected auto, cpu, gpu or gpuN");
    }
  }

  @Test
  void autoTakesTheFirstGpuOnlyWhenThereIsOne() {
    assertThat(DeviceChoice.AUTO.resolve(0)).isEqualTo(Device.cpu());
    assertThat(DeviceChoice.AUTO.resolve(2)).isEqualTo(Device.gpu(0));
    assertThat(DeviceChoice.CPU.resolve(2)).isEqualTo(Device.cpu());
    assertThat(DeviceChoice.parse("gpu1").resolve(2)).isEqualTo(Device.gpu(1));
  }

  @Test
  void aRequiredGpuThatIsAbsentIsRefusedWithWhatWasFound() {
    assertThatThrownBy(() -> DeviceChoice.parse("gpu").resolve(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("device 'gpu' requested but 0 usable GPU(s) found");
    assertThatThrownBy(() -> DeviceChoice.parse("gpu2").resolve(2))
        .hasMessage("device 'gpu2' requested but 2 usable GPU(s) found");
  }
}
