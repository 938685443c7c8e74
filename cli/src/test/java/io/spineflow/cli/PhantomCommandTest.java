package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.training.TrainingData;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.metaimage.MetaImageReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./spineflow phantom}: default and randomised studies, and the options it refuses. */
class PhantomCommandTest {

  @Test
  void randomisedStudiesAreWrittenUnderTheirOwnNames(@TempDir Path out) throws Exception {
    SpineflowTest.Result r =
        SpineflowTest.run(
            "phantom",
            "--randomised",
            "--count",
            "2",
            "--seed",
            "4",
            "--size-scale",
            "0.3",
            "--out",
            out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    Path image = out.resolve("images/phantom-4-random_t1.mha");
    Path mask = out.resolve("masks/phantom-5-random_t2.mha");
    assertThat(image).exists();
    assertThat(mask).exists();
    Image read = new MetaImageReader().read(image).image();
    assertThat(read.geometry().dimensions()).isEqualTo(3);
    assertThat(r.out()).contains("phantom-4-random-t1", "phantom-5-random-t2");
  }

  @Test
  void shiftAndRandomisedTogetherAreRefusedNamingBoth(@TempDir Path out) {
    SpineflowTest.Result r =
        SpineflowTest.run("phantom", "--randomised", "--shift", "--out", out.toString());

    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err()).contains("--shift").contains("--randomised");
    assertThat(out.resolve("images")).satisfies(p -> assertThat(Files.exists(p)).isFalse());
  }

  @Test
  void trainingDataMixesRandomisedStudiesInEvenly() {
    int randomised = 0;
    for (int i = 0; i < 20; i++) {
      if (TrainingData.isRandomised(i, 0.25)) {
        randomised++;
      }
      assertThat(TrainingData.isRandomised(i, 0)).isFalse();
      assertThat(TrainingData.isRandomised(i, 1)).isTrue();
    }
    assertThat(randomised).isEqualTo(5);
  }
}
