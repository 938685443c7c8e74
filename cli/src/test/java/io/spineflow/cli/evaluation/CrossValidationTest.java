package io.spineflow.cli.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.PartialLabelStudies;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.model.Devices;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.preprocess.PreprocessConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossValidationTest {
  @TempDir Path dir;

  /** Disc-only phantom studies (the other classes unlabelled), declared by sidecars. */
  private Path discStudies(int n) throws Exception {
    Path data = dir.resolve("data");
    for (int s = 0; s < n; s++) {
      PartialLabelStudies.write(data, "ivd_" + s, 20 + s, PartialLabelStudies.DISCS);
      Files.writeString(data.resolve("ivd_" + s + ".labels"), "classes: discs\n");
    }
    return data;
  }

  @Test
  void eachFoldTrainsOnTheOthersAndIsScoredOutOfSample() throws Exception {
    List<LabelledStudyFile> studies = LabelledStudyFiles.find(discStudies(4));
    DjlEngine.ensureStarted();
    List<List<String>> trainedOn = new ArrayList<>();
    // A real (untrained) model per fold: the fold logic, not the learning, is under test here.
    FoldTrainer trainer =
        (fold, training, work) -> {
          trainedOn.add(training.stream().map(LabelledStudyFile::name).toList());
          UNetConfig config = UNetConfig.defaults().withWidths(4, 3, 16).withInputSize(64, 64);
          try (SegmentationModel model =
              SegmentationModel.untrained(config, Devices.best(), fold)) {
            return new ModelStore(work)
                .save("fold", 1, model.djlModel().getBlock(), config, Map.of())
                .directory();
          }
        };
    StudyEvaluator evaluator =
        new StudyEvaluator(PreprocessConfig.defaults(dir.resolve("claims")), 2.0);
    StringWriter log = new StringWriter();

    FoldSummary summary =
        new CrossValidation(trainer, evaluator)
            .run(studies, 2, 42, dir.resolve("work"), new PrintWriter(log));

    List<List<LabelledStudyFile>> folds =
        StudyFolds.assign(studies, LabelledStudyFile::name, LabelledStudyFile::set, 2, 42);
    assertThat(trainedOn).hasSize(2);
    for (int f = 0; f < 2; f++) {
      assertThat(trainedOn.get(f))
          .hasSize(2)
          .doesNotContainAnyElementsOf(folds.get(f).stream().map(LabelledStudyFile::name).toList());
    }
    assertThat(summary.folds()).isEqualTo(2);
    assertThat(summary.rows()).extracting(ScoreRow::structure).containsExactly("IVDs");
    assertThat(summary.rows().get(0).slices()).isPositive();
    assertThat(summary.toMarkdown()).contains("over 2 folds");
    assertThat(log.toString())
        .contains("fold 1/2: training on 2 studies, scoring 2")
        .contains("fold 2/2: training on 2 studies, scoring 2");
  }
}
