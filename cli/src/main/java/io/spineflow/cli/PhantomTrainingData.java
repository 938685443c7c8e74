package io.spineflow.cli;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.SliceRef;
import io.spineflow.model.training.StudySplit;
import io.spineflow.model.training.TrainingSet;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled phantom studies (T1, T2, T2 SPACE in turn, optionally a share of them randomised)
 * preprocessed exactly as the pipeline does, split by study as the trainer splits them: training
 * data without Kafka, for offline training and the training benchmark.
 */
public record PhantomTrainingData(TrainingSet train, TrainingSet validation, int studies) {
  /** The trainer's default share of validation studies. */
  private static final double VALIDATION_FRACTION = 0.2;

  /**
   * @param architecture gives the slice size
   * @param firstSeed seed of the first study; study {@code i} has seed {@code firstSeed + i}
   */
  public static PhantomTrainingData generate(UNetConfig architecture, int studies, long firstSeed)
      throws IOException {
    return generate(architecture, studies, firstSeed, 0);
  }

  /**
   * As {@link #generate(UNetConfig, int, long)}, with a share of randomised studies (see {@link
   * PhantomSpec#randomised()}), spread evenly over the studies: with 0.25, every fourth study is
   * randomised. The sequences still alternate, so each sequence's share is the same.
   *
   * @param randomisedFraction 0 (default studies only, the historical behaviour) to 1 (randomised
   *     only)
   */
  public static PhantomTrainingData generate(
      UNetConfig architecture, int studies, long firstSeed, double randomisedFraction)
      throws IOException {
    if (!(randomisedFraction >= 0 && randomisedFraction <= 1)) {
      throw new IllegalArgumentException(
          "randomisedFraction must be in [0, 1]: " + randomisedFraction);
    }
    SagittalSlicer slicer =
        PreprocessConfig.defaults(Files.createTempDirectory("spineflow-phantom-training"))
            .withSliceSize(architecture.inputWidth(), architecture.inputHeight())
            .slicer();
    StudySplit split = new StudySplit(VALIDATION_FRACTION);
    List<SliceRef> trainRefs = new ArrayList<>();
    List<LabelledSlice> train = new ArrayList<>();
    List<SliceRef> validationRefs = new ArrayList<>();
    List<LabelledSlice> validation = new ArrayList<>();
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] sequences = Sequence.values();
    for (int i = 0; i < studies; i++) {
      PhantomStudy study =
          generator.generate(
              PhantomSpec.of(sequences[i % 3], firstSeed + i)
                  .withRandomised(isRandomised(i, randomisedFraction)));
      for (SagittalSlice s : slicer.slice(study.image(), study.mask()).slices()) {
        SliceRef ref =
            new SliceRef(
                study.studyId(),
                s.sliceIndex(),
                study.sequence().name(),
                s.pixelSpacing(),
                s.pixelSpacing());
        LabelledSlice slice = new LabelledSlice(s.pixels(), s.label(), s.width(), s.height());
        if (split.isValidation(study.studyId())) {
          validationRefs.add(ref);
          validation.add(slice);
        } else {
          trainRefs.add(ref);
          train.add(slice);
        }
      }
    }
    return new PhantomTrainingData(
        TrainingSet.inMemory(trainRefs, train),
        TrainingSet.inMemory(validationRefs, validation),
        studies);
  }

  /** Whether study {@code i} is randomised: a Bresenham spread of the fraction over the indices. */
  static boolean isRandomised(int i, double fraction) {
    return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
  }
}
