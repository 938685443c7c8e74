package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --data} on tiny partially labelled phantoms, with the quick profile. */
class TrainCommandTest {
  @TempDir Path dir;

  /** Two disc-only and two bodies-only studies, declared by a manifest with their sets. */
  private Path partialStudies() throws Exception {
    Path data = dir.resolve("data");
    PartialLabelStudies.write(data, "ivd_1", 11, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(data, "ivd_2", 12, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(data, "vb_1", 13, PartialLabelStudies.VERTEBRAE);
    PartialLabelStudies.write(data, "vb_2", 14, PartialLabelStudies.VERTEBRAE);
    Files.writeString(
        data.resolve("manifest.tsv"),
        "name\tset\tsequence\tlabelled\n"
            + "ivd_1\tIVD\tT2\tdiscs\nivd_2\tIVD\tT2\tdiscs\n"
            + "vb_1\tVB\tT2\tvertebral-bodies\nvb_2\tVB\tT2\tvertebral-bodies\n");
    return data;
  }

  private static SpineflowTest.Result train(Path data, Path out, String... more) {
    String[] base = {
      "train",
      "--data",
      data.toString(),
      "--phantoms",
      "2",
      "--profile",
      "quick",
      "--out",
      out.toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return SpineflowTest.run(args);
  }

  @Test
  void writesALoadableModelWhoseMetadataNamesItsSourcesAndResumes() throws Exception {
    Path data = partialStudies();
    Path out = dir.resolve("model");

    SpineflowTest.Result first = train(data, out, "--epochs", "1");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        // two studies per set: too few to hold one out; the phantoms always give validation,
        // and their single training study is repeated towards the sets' mean size
        .containsPattern("IVD +2 studies \\(\\d+ slices ×1\\) training, +0 studies")
        .containsPattern("VB +2 studies \\(\\d+ slices ×1\\) training, +0 studies")
        .containsPattern("phantoms +1 studies \\(\\d+ slices ×[2-4]\\) training, +1 studies")
        .contains("epoch  1 ")
        .contains("wrote " + out);
    assertThat(first.err()).contains("load [").contains("epoch 1/1 [");
    StoredModel stored = ModelStore.inspect(out);
    try (SegmentationModel model =
        ModelStore.load(out, stored.sha256(), stored.config(), Devices.best())) {
      assertThat(model.config().inputWidth()).isEqualTo(64);
    }
    String metadata = Files.readString(out.resolve(ModelStore.METADATA_FILE));
    assertThat(metadata)
        .contains("\"dir\" : \"" + data.toAbsolutePath().normalize() + "\"")
        .contains("\"discs over labelled-span\"")
        .contains("\"vertebral-bodies over labelled-span\"")
        .contains("\"phantoms\" : 2")
        .contains("\"seed\" : 42")
        .contains("\"randomisedPhantoms\" : 0.5")
        .contains("\"enabled\" : false")
        .contains("\"stopReason\" : \"MAX_EPOCHS\"");

    // The kept checkpoints let --resume go on to epoch 2 without repeating epoch 1.
    SpineflowTest.Result again = train(data, out, "--epochs", "2");
    assertThat(again.code()).isEqualTo(Spineflow.USAGE);
    assertThat(again.err()).contains("--out");
    SpineflowTest.Result other = train(data, out, "--epochs", "2", "--resume", "--seed", "7");
    assertThat(other.code()).isEqualTo(Spineflow.USAGE);
    assertThat(other.err()).contains("--resume").contains("another recipe or data");

    // A card note is not part of the run's identity: a resumed run may add the data's terms.
    SpineflowTest.Result resumed =
        train(data, out, "--epochs", "2", "--resume", "--card-note", "research use only");

    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("epoch  2 ").doesNotContain("epoch  1 ");
    assertThat(Files.readString(out.resolve(ModelStore.METADATA_FILE)))
        .contains("\"epochs\" : 2")
        .contains("\"notes\" : [ \"research use only\" ]");
  }

  @Test
  void aDataFolderWithoutStudiesIsRefusedNamingTheOption() throws Exception {
    Files.createDirectories(dir.resolve("empty"));

    SpineflowTest.Result r =
        SpineflowTest.run(
            "train",
            "--data",
            dir.resolve("empty").toString(),
            "--out",
            dir.resolve("m").toString());

    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err()).contains("--data").contains("no labelled .mha studies");
  }
}
