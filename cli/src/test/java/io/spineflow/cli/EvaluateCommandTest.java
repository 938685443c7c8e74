package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void printsThePapersTablePerSequenceAndClassAndWritesJson() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    for (Sequence sequence : new Sequence[] {Sequence.T1, Sequence.T2}) {
      PhantomStudy study =
          new PhantomGenerator().generate(PhantomSpec.of(sequence, 3).withSizeScale(0.5));
      String name = study.spec().fileStem() + ".mha";
      MetaImageWriter.write(
          study.image(), data.resolve("images").resolve(name), MetaImageWriter.Compression.NONE);
      MetaImageWriter.write(
          study.mask(), data.resolve("masks").resolve(name), MetaImageWriter.Compression.NONE);
    }
    UNetConfig config = UNetConfig.defaults().withWidths(4, 3, 16).withInputSize(64, 64);
    StoredModel stored;
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      stored =
          new ModelStore(dir.resolve("models"))
              .save("spine-unet", 1, model.djlModel().getBlock(), config, Map.of());
    }
    Path json = dir.resolve("table.json");

    SpineflowTest.Result r =
        SpineflowTest.run(
            "evaluate",
            "--model",
            stored.directory().toString(),
            "--data",
            data.toString(),
            "--json",
            json.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("| T1 |")
        .contains("| T2 |")
        .contains("Vertebrae")
        .contains("Dice");
    assertThat(Files.readString(json)).contains("\"T1\"").contains("dice");
  }
}
