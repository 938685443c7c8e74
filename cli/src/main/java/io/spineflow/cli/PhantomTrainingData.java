package io.spineflow.cli;

import io.spineflow.cli.training.TrainingData;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.TrainingSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * Labelled phantom studies (T1, T2, T2 SPACE in turn) preprocessed exactly as the pipeline does,
 * split by study as the trainer splits them: training data without Kafka, for the training
 * benchmark. {@link TrainingData} with phantoms only.
 */
public record PhantomTrainingData(TrainingSet train, TrainingSet validation, int studies) {
  /**
   * @param architecture gives the slice size
   * @param firstSeed seed of the first study; study {@code i} has seed {@code firstSeed + i}
   */
  public static PhantomTrainingData generate(UNetConfig architecture, int studies, long firstSeed)
      throws IOException {
    TrainingData data =
        TrainingData.load(
            List.of(),
            studies,
            firstSeed,
            architecture,
            ConsoleProgress.of(
                new PrintWriter(Writer.nullWriter()), "phantoms", "studies", studies));
    return new PhantomTrainingData(data.train(), data.validation(), studies);
  }
}
