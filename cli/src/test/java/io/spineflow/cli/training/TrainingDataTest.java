package io.spineflow.cli.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.PartialLabelStudies;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.imaging.labels.AnatomicalPriors;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
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
  void scorableSetsOfFourAndThePhantomsHaveStudiesOnBothSidesOthersTrainWhole() throws Exception {
    Path data = dir.resolve("data");
    StringBuilder manifest = new StringBuilder("name\tset\tlabelled\n");
    addSet(data, manifest, "small", 3, PartialLabelStudies.DISCS, "discs");
    addSet(data, manifest, "large", 4, PartialLabelStudies.DISCS, "discs");
    addSet(data, manifest, "bodies", 4, PartialLabelStudies.VERTEBRAE, "vertebral-bodies");
    Files.writeString(data.resolve("manifest.tsv"), manifest);
    List<LabelledStudyFile> studies = LabelledStudyFiles.find(data);

    TrainingData split = TrainingData.load(studies, 2, 1000, SMALL, quiet(13));

    assertThat(split.strata()).containsOnlyKeys("small", "large", "bodies", TrainingData.PHANTOMS);
    for (String heldOut : List.of("large", TrainingData.PHANTOMS)) {
      assertThat(split.strata().get(heldOut).trainStudies()).isPositive();
      assertThat(split.strata().get(heldOut).validationStudies()).isPositive();
    }
    assertThat(split.strata().get("small").validationStudies()).as("3 studies").isZero();
    assertThat(split.strata().get("bodies").validationStudies()).as("no Dice").isZero();
    assertThat(split.strata().get("small").trainStudies()).isEqualTo(3);
    assertThat(split.train().studyUids())
        .doesNotContainAnyElementsOf(split.validation().studyUids());
    for (TrainingSet set : List.of(split.train(), split.validation())) {
      for (int i = 0; i < set.size(); i++) {
        LabelledSlice slice = set.load(i);
        String uid = set.ref(i).studyUid();
        boolean phantom = uid.startsWith("phantom");
        assertThat(slice.completelyLabelled()).isEqualTo(phantom);
        if (uid.startsWith("small") || uid.startsWith("large")) {
          assertThat(slice.scope().classes()).isEqualTo(Set.of(LabelledStructure.DISCS));
        }
      }
    }
  }

  @Test
  void priorsCompleteTrainingLabelsOnlyAndSmallSetsAreRepeated() throws Exception {
    Path data = dir.resolve("data");
    StringBuilder manifest = new StringBuilder("name\tset\tlabelled\n");
    addSet(data, manifest, "discs", 1, PartialLabelStudies.DISCS, "discs");
    addSet(data, manifest, "bodies", 4, PartialLabelStudies.VERTEBRAE, "vertebral-bodies");
    Files.writeString(data.resolve("manifest.tsv"), manifest);
    List<LabelledStudyFile> studies = LabelledStudyFiles.find(data);
    UNetConfig size128 = SMALL.withInputSize(128, 128);

    TrainingData plain =
        TrainingData.load(
            studies, new TrainingData.Mix(0, 1000, 0, null, false), size128, quiet(5));
    TrainingData completed =
        TrainingData.load(
            studies,
            new TrainingData.Mix(0, 1000, 0, AnatomicalPriors.defaults(), true),
            size128,
            quiet(5));

    assertThat(restrictedPixels(plain.train())).isZero();
    assertThat(restrictedPixels(completed.train())).isPositive();
    TrainingData.StratumCounts discs = completed.strata().get("discs");
    TrainingData.StratumCounts bodies = completed.strata().get("bodies");
    assertThat(bodies.repeats()).isEqualTo(1);
    assertThat(discs.repeats()).isBetween(2, TrainingData.MAX_REPEATS);
    assertThat(completed.train().size())
        .isEqualTo(discs.trainSlices() * discs.repeats() + bodies.trainSlices());
  }

  @Test
  void balanceRepeatsASetTowardsTheMeanSizeAtMostFourTimes() {
    java.util.Map<String, Integer> sizes = java.util.Map.of("a", 100, "b", 500, "c", 15);
    assertThat(TrainingData.balanceFactor(100, sizes)).isEqualTo(2); // mean 205
    assertThat(TrainingData.balanceFactor(500, sizes)).isEqualTo(1);
    assertThat(TrainingData.balanceFactor(15, sizes)).isEqualTo(TrainingData.MAX_REPEATS);
  }

  private static long restrictedPixels(TrainingSet set) {
    long n = 0;
    for (int i = 0; i < set.size(); i++) {
      for (byte b : set.load(i).labels()) {
        n += SliceLabelScope.isRestricted(b) ? 1 : 0;
      }
    }
    return n;
  }

  private static void addSet(
      Path data,
      StringBuilder manifest,
      String set,
      int count,
      java.util.function.IntPredicate keep,
      String labelled)
      throws Exception {
    for (int s = 0; s < count; s++) {
      String name = set + "_" + s;
      PartialLabelStudies.write(data, name, 30 + s + set.length() * 10L, keep);
      manifest.append(name).append('\t').append(set).append('\t').append(labelled).append('\n');
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
