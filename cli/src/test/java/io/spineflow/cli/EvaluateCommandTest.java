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
import io.spineflow.model.training.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void partiallyLabelledStudiesPrintLabelledClassesOnlyWithTheSlicesScored() throws Exception {
    Path data = dir.resolve("partial");
    PartialLabelStudies.write(data, "ivd_1", 11, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(data, "vb_1", 12, PartialLabelStudies.VERTEBRAE);
    PartialLabelStudies.write(data, "side_1", 13, PartialLabelStudies.DISCS);
    Files.writeString(
        data.resolve("manifest.tsv"),
        "name\tset\tsequence\tlabelled\nivd_1\tIVD\tT2\tdiscs\nvb_1\tVB\tT2\tvertebral-bodies\n");
    Files.writeString(data.resolve("side_1.labels"), "classes: discs\n");
    // A mask on another grid: preprocess rejects the study, evaluate skips it and says why.
    Files.copy(data.resolve("ivd_1.mha"), data.resolve("bad.mha"));
    MetaImageWriter.write(
        new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, 1).withSizeScale(0.4)).mask(),
        data.resolve("bad.mask.mha"),
        MetaImageWriter.Compression.NONE);
    Path model = PartialLabelStudies.untrainedModel(dir.resolve("models"));
    Path json = dir.resolve("partial.json");

    SpineflowTest.Result r =
        SpineflowTest.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--json",
            json.toString(),
            "--overlays",
            dir.resolve("overlays").toString());

    assertThat(r.code()).as(r.err()).isZero();
    // one picture per scored study (the skipped one has none): slice | label | model
    for (String study : List.of("ivd_1", "vb_1", "side_1")) {
      java.awt.image.BufferedImage picture =
          javax.imageio.ImageIO.read(dir.resolve("overlays").resolve(study + ".png").toFile());
      assertThat(picture.getWidth()).isGreaterThanOrEqualTo(3 * 256);
    }
    assertThat(dir.resolve("overlays").resolve("bad.png")).doesNotExist();
    assertThat(r.out())
        .containsPattern("\\| IVD \\| 1 \\| [1-9]\\d* \\|")
        .containsPattern("\\| VB \\| 1 \\| [1-9]\\d* \\|")
        .containsPattern("\\| all \\| 1 \\| [1-9]\\d* \\|")
        .containsPattern("\\| IVD \\| IVDs \\| [1-9]\\d* \\| \\d\\.\\d{4}")
        .containsPattern("\\| VB \\| Vertebral bodies \\| [1-9]\\d* \\|")
        .doesNotContain("| Vertebrae |")
        .doesNotContain("Spinal canal")
        .doesNotContain("Completely labelled")
        .contains("on 3 studies (0 completely labelled, 1 skipped)")
        .contains("skipped bad: ");
    assertThat(r.err()).contains("evaluate [").contains("4/4 studies").contains("slices scored");
    assertThat(Files.readString(json)).contains("\"scoped\"").contains("\"bodyRecall\"");
  }

  @Test
  void foldsTrainAModelPerFoldWithTrainsRecipeAndPrintMeanAndSd() throws Exception {
    Path data = dir.resolve("partial");
    for (int s = 0; s < 4; s++) {
      PartialLabelStudies.write(data, "ivd_" + s, 20 + s, PartialLabelStudies.DISCS);
      Files.writeString(data.resolve("ivd_" + s + ".labels"), "classes: discs\n");
    }
    Path work = dir.resolve("folds");
    Path json = dir.resolve("folds.json");

    SpineflowTest.Result r = crossValidate(data, work, json);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("2-fold cross-validation by study, 4 studies")
        .containsPattern("\\| all \\| IVDs \\| [1-9]\\d* \\| \\d\\.\\d{4} ± \\d\\.\\d{4} \\|")
        .contains("over 2 folds");
    assertThat(r.err())
        .contains("fold 1/2: training on 2 studies, scoring 2")
        .contains("fold 2: MAX_EPOCHS after 1 epochs");
    for (String fold : new String[] {"fold-1", "fold-2"}) {
      assertThat(ModelStore.inspect(work.resolve(fold).resolve("model")).config().inputWidth())
          .isEqualTo(64);
      assertThat(work.resolve(fold).resolve("checkpoints")).doesNotExist();
    }
    assertThat(Files.readString(json)).contains("\"folds\" : 2");

    // An interrupted run resumed: the finished fold is kept as it was, the missing one trained.
    String firstFold = ModelStore.inspect(work.resolve("fold-1").resolve("model")).sha256();
    TrainingResult.deleteRecursively(work.resolve("fold-2"));
    SpineflowTest.Result resumed = crossValidate(data, work, json, "--resume");

    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.err())
        .contains("fold 1: kept the model trained before")
        .doesNotContain("fold 1: MAX_EPOCHS")
        .contains("fold 2: MAX_EPOCHS after 1 epochs");
    assertThat(ModelStore.inspect(work.resolve("fold-1").resolve("model")).sha256())
        .isEqualTo(firstFold);
    assertThat(resumed.out()).contains("over 2 folds");

    // A model another recipe made is never scored as this recipe's.
    SpineflowTest.Result other = crossValidate(data, work, json, "--resume", "--seed", "7");
    assertThat(other.code()).isEqualTo(Spineflow.USAGE);
    assertThat(other.err()).contains("--resume").contains("not trained by this recipe");
  }

  private static SpineflowTest.Result crossValidate(
      Path data, Path work, Path json, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--folds",
                "2",
                "--data",
                data.toString(),
                "--phantoms",
                "2",
                "--profile",
                "quick",
                "--epochs",
                "1",
                "--work",
                work.toString(),
                "--json",
                json.toString()));
    args.addAll(List.of(more));
    return SpineflowTest.run(args.toArray(String[]::new));
  }

  @Test
  void moreFoldsThanStudiesAreRefusedNamingTheOptionBeforeAnyTraining() throws Exception {
    Path data = dir.resolve("two");
    PartialLabelStudies.write(data, "ivd_1", 11, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(data, "ivd_2", 12, PartialLabelStudies.DISCS);

    SpineflowTest.Result r =
        SpineflowTest.run(
            "evaluate", "--data", data.toString(), "--folds", "3", "--work", dir.toString());

    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err()).contains("--folds").contains("needs at least 3 studies, found 2");
    assertThat(dir.resolve("fold-1")).doesNotExist();
  }

  @Test
  void aMalformedDeclarationIsOneLineNamingTheFile() throws Exception {
    Path data = dir.resolve("bad");
    Files.createDirectories(data);
    Files.writeString(data.resolve("a.mha"), "x");
    Files.writeString(data.resolve("a.mask.mha"), "x");
    Files.writeString(data.resolve("a.labels"), "classes: spleen\n");

    SpineflowTest.Result r =
        SpineflowTest.run("evaluate", "--model", dir.toString(), "--data", data.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--data").contains("a.labels").contains("spleen");
  }

  @Test
  void levelsOfTheStartersResultsAreNumberedAsTheLabelsThatNameThemSay() throws Exception {
    Path data = dir.resolve("levels");
    // Phantom discs carry SPIDER's values, 201 = L5/S1 upwards: the IVD set's convention.
    PartialLabelStudies.write(data, "ivd_1", 11, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(data, "vb_1", 12, PartialLabelStudies.VERTEBRAE);
    Files.writeString(
        data.resolve("manifest.tsv"),
        "name\tset\tsequence\tlabelled\nivd_1\tIVD\tT2\tdiscs\n"
            + "vb_1\tVB1\tT2\tvertebral-bodies\n");
    Path model = StarterModel.extractTo(dir.resolve("starter"));
    Path json = dir.resolve("levels.json");

    SpineflowTest.Result r =
        SpineflowTest.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--json",
            json.toString(),
            "--levels");

    assertThat(r.code()).as(r.err()).isZero();
    // VB1 numbers instances, not levels: only the IVD-like study is analysed.
    assertThat(r.out())
        .contains("Levels of the model's results on 1 studies whose labels name levels")
        .containsPattern("\\| ivd_1 \\| IVD \\| \\d+ \\| \\d+, (\\d) / \\1 \\| 5 / 5 \\|")
        .containsPattern("L5/S1 [+-]\\d\\.\\d")
        .containsPattern("Pooled: the model's results named (\\d) of \\1 levels")
        .contains("the manual labels analysed alone 5 of 5");
    assertThat(r.err()).contains("levels [");
    assertThat(Files.readString(json)).contains("\"levels\"").contains("\"discHeights\"");
  }

  @Test
  void levelsAreRefusedWithFolds() {
    SpineflowTest.Result r =
        SpineflowTest.run("evaluate", "--data", dir.toString(), "--folds", "2", "--levels");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("--levels");
  }
}
