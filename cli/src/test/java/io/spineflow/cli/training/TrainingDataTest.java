package io.spineflow.cli.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.PartialLabelStudies;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.TrainingSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
  private static final UNetConfig SMALL =
      UNetConfig.defaults().withWidths(4, 3, 16).withInputSize(64, 64);

  @TempDir Path dir;

  private static ConsoleProgress quiet(int total) {
    return ConsoleProgress.of(new PrintWriter(new StringWriter()), "load", "studies", total);
  }

  @Test
  void everySetAndThePhantomsHaveStudiesOnBothSidesAndPartialSlicesKeepTheirScope()
      throws Exception {
    Path data = dir.resolve("data");
    StringBuilder manifest = new StringBuilder("name\tset\tlabelled\n");
    for (int s = 0; s < 3; s++) {
      PartialLabelStudies.write(data, "ivd_" + s, 30 + s, PartialLabelStudies.DISCS);
      manifest.append("ivd_").append(s).append("\tIVD\tdiscs\n");
    }
    Files.writeString(data.resolve("manifest.tsv"), manifest);
    List<LabelledStudyFile> studies = LabelledStudyFiles.find(data);

    TrainingData split = TrainingData.load(studies, 2, 1000, SMALL, quiet(5));

    assertThat(split.strata()).containsOnlyKeys("IVD", TrainingData.PHANTOMS);
    split
        .strata()
        .values()
        .forEach(
            c -> {
              assertThat(c.trainStudies()).isPositive();
              assertThat(c.validationStudies()).isPositive();
            });
    assertThat(split.train().studyUids())
        .doesNotContainAnyElementsOf(split.validation().studyUids());
    for (TrainingSet set : List.of(split.train(), split.validation())) {
      for (int i = 0; i < set.size(); i++) {
        LabelledSlice slice = set.load(i);
        boolean phantom = set.ref(i).studyUid().startsWith("phantom");
        assertThat(slice.completelyLabelled()).isEqualTo(phantom);
        if (!phantom) {
          assertThat(slice.scope().classes()).isEqualTo(Set.of(LabelledStructure.DISCS));
        }
      }
    }
  }

  @Test
  void twoStudiesWithOneNameAreRefused() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    PartialLabelStudies.write(a, "same", 1, PartialLabelStudies.DISCS);
    PartialLabelStudies.write(b, "same", 2, PartialLabelStudies.DISCS);
    List<LabelledStudyFile> both = new ArrayList<>(LabelledStudyFiles.find(a));
    both.addAll(LabelledStudyFiles.find(b));

    assertThatThrownBy(() -> TrainingData.load(both, 0, 1000, SMALL, quiet(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same");
  }
}
