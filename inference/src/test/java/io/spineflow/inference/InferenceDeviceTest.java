package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.spineflow.model.DeviceChoice;
import io.spineflow.model.Devices;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inference.device}: its grammar is checked with the other settings, and a GPU asked for by
 * name that the engine cannot use stops the service in one line naming the setting and what was
 * found. The GPU case runs only where the engine sees a GPU (skipped by capability, not removed).
 */
class InferenceDeviceTest {
  @TempDir Path root;

  private static InferenceConfig config(String device) {
    return InferenceConfig.from(
        new Settings(Map.of(InferenceSettings.DEVICE.name(), device), Map.of()));
  }

  @Test
  void theSettingIsParsedWithTheOthers() {
    assertThat(InferenceConfig.from(new Settings(Map.of(), Map.of())).device())
        .isEqualTo(DeviceChoice.AUTO);
    assertThat(config("gpu1").device()).isEqualTo(new DeviceChoice("gpu1", true, 1));
    assertThatThrownBy(() -> config("cuda:0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("inference.device: device 'cuda:0': expected auto, cpu, gpu or gpuN");
  }

  @Test
  void aRequiredGpuThatIsAbsentFailsInOneLineSayingWhatWasFound() {
    assertThatThrownBy(() -> InferenceDevice.resolve(DeviceChoice.parse("gpu"), 0, () -> 0))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "inference.device: device 'gpu' requested but 0 usable GPU(s) found (no CUDA driver"
                + " or GPU on this host)");
    assertThatThrownBy(() -> InferenceDevice.resolve(DeviceChoice.parse("gpu"), 0, () -> 1))
        .hasMessageStartingWith("inference.device: device 'gpu' requested but 0 usable GPU(s)")
        .hasMessageContaining("the CUDA driver reports 1 but the engine runs PyTorch's cpu natives")
        .hasMessageNotContaining("\n");
    // The driver is asked only to explain a failure (its probe logs a warning without CUDA).
    IntSupplier notAsked =
        () -> {
          throw new AssertionError("the driver was probed");
        };
    assertThat(InferenceDevice.resolve(DeviceChoice.AUTO, 0, notAsked)).isEqualTo(Device.cpu());
    assertThat(InferenceDevice.resolve(DeviceChoice.parse("gpu1"), 2, () -> 2))
        .isEqualTo(Device.gpu(1));
  }

  @Test
  void onThisMachinesEngineWithoutAGpuTheLoaderRefusesToStart() {
    assumeTrue(Devices.gpuCount() == 0, "the engine sees a GPU here");
    assertThatThrownBy(() -> new DjlModelLoader(root, 2, 1, 0, 0, DeviceChoice.parse("gpu"), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("inference.device: device 'gpu' requested but 0 usable GPU(s)");
    assertThat(new DjlModelLoader(root, 2, 1, 0, 0, DeviceChoice.AUTO, null).device())
        .isEqualTo("cpu()");
  }

  @Test
  void withAGpuTheLoaderServesOnIt() {
    assumeTrue(
        Devices.gpuCount() > 0,
        "needs a CUDA GPU and CUDA natives (pytorch.flavor=cu128 or PYTORCH_LIBRARY_PATH)");
    assertThat(new DjlModelLoader(root, 2, 1, 0, 0, DeviceChoice.parse("gpu"), null).device())
        .isEqualTo("gpu(0)");
    assertThat(new DjlModelLoader(root, 2, 1, 0, 0, DeviceChoice.AUTO, null).device())
        .isEqualTo("gpu(0)");
  }
}
