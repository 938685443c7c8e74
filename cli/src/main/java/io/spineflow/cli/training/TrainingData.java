package io.spineflow.cli.training;

import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
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
import io.spineflow.preprocess.slicing.StudyRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training and validation slices for offline training: labelled studies on disk and labelled
 * phantoms, preprocessed exactly as the pipeline does (its slicer and filters, which judge a
 * partial label only by the classes it labels, inside its extent), split by study.
 *
 * <p>The split is {@link StudySplit}'s (a study's place depends on its name alone), with one
 * guarantee per stratum (each set of the data, and the phantoms): a stratum of two or more studies
 * has at least one study on each side, so the validation figures cover every set; the study moved
 * is the one nearest the split line.
 *
 * @param train the training slices
 * @param validation the validation slices (other studies)
 * @param strata per stratum ({@value #PHANTOMS} for the phantoms), its split counts
 * @param skipped studies preprocess rejects or that cannot be read, each with the reason
 */
public record TrainingData(
    TrainingSet train,
    TrainingSet validation,
    Map<String, StratumCounts> strata,
    List<String> skipped) {

  /** The stratum of the phantom studies. */
  public static final String PHANTOMS = "phantoms";

  /** The trainer's default share of validation studies. */
  public static final double VALIDATION_FRACTION = 0.2;

  /**
   * How one stratum was split.
   *
   * @param trainStudies studies in the training set
   * @param validationStudies studies in the validation set
   * @param trainSlices their slices
   * @param validationSlices their slices
   */
  public record StratumCounts(
      int trainStudies, int validationStudies, int trainSlices, int validationSlices) {}

  /** One study's slices, ready to split. */
  private record StudySlices(
      String uid, String stratum, List<SliceRef> refs, List<LabelledSlice> slices) {}

  /**
   * Loads and splits the data.
   *
   * @param studies labelled studies on disk (study names must be unique)
   * @param phantoms labelled phantom studies to add (T1, T2, T2 SPACE in turn)
   * @param firstPhantomSeed seed of the first phantom; phantom {@code i} has {@code firstSeed + i}
   * @param architecture gives the slice size
   * @param progress one step per study (real, then phantom)
   * @throws IllegalArgumentException when two studies share a name
   */
  public static TrainingData load(
      List<LabelledStudyFile> studies,
      int phantoms,
      long firstPhantomSeed,
      UNetConfig architecture,
      ConsoleProgress progress)
      throws IOException {
    return load(studies, phantoms, firstPhantomSeed, 0, architecture, progress);
  }

  /**
   * As {@link #load(List, int, long, UNetConfig, ConsoleProgress)}, with a share of the phantoms
   * randomised ({@link PhantomSpec#randomised()}: SynthSeg-style random contrasts, resolution and
   * artefacts), spread evenly ({@link #isRandomised}).
   *
   * @param randomisedFraction 0 (default phantoms only) to 1 (randomised only)
   */
  public static TrainingData load(
      List<LabelledStudyFile> studies,
      int phantoms,
      long firstPhantomSeed,
      double randomisedFraction,
      UNetConfig architecture,
      ConsoleProgress progress)
      throws IOException {
    if (!(randomisedFraction >= 0 && randomisedFraction <= 1)) {
      throw new IllegalArgumentException(
          "--randomised-phantoms must be 0..1: " + randomisedFraction);
    }
    SagittalSlicer slicer =
        PreprocessConfig.defaults(Files.createTempDirectory("spineflow-training"))
            .withSliceSize(architecture.inputWidth(), architecture.inputHeight())
            .slicer();
    List<StudySlices> all = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    MetaImageReader reader = new MetaImageReader();
    for (LabelledStudyFile study : studies) {
      if (all.stream().anyMatch(s -> s.uid().equals(study.name()))) {
        throw new IllegalArgumentException(
            "two studies are named " + study.name() + "; names must be unique across --data");
      }
      try {
        List<SagittalSlice> slices =
            slicer
                .slice(
                    reader.read(study.image()).image(),
                    reader.read(study.mask()).image(),
                    study.complete() ? null : study.coverage())
                .slices();
        all.add(of(study.name(), study.set(), study.sequence(), slices));
        progress.step(study.name() + ": " + slices.size() + " slices");
      } catch (StudyRejectedException | MetaImageException e) {
        // One unreadable study must not stop training on the others; the model card lists it.
        skipped.add(study.name() + ": " + e.getMessage());
        progress.step(study.name() + ": skipped");
      }
    }
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] sequences = Sequence.values();
    for (int i = 0; i < phantoms; i++) {
      PhantomStudy study =
          generator.generate(
              PhantomSpec.of(sequences[i % 3], firstPhantomSeed + i)
                  .withRandomised(isRandomised(i, randomisedFraction)));
      List<SagittalSlice> slices = slicer.slice(study.image(), study.mask()).slices();
      all.add(of(study.studyId(), PHANTOMS, study.sequence().name(), slices));
      progress.step("phantom " + (i + 1) + ": " + slices.size() + " slices");
    }
    return split(all, skipped);
  }

  /**
   * Whether phantom {@code i} is randomised: the fraction spread evenly over the indices (with 0.25
   * every fourth), so the alternating sequences keep equal shares.
   */
  public static boolean isRandomised(int i, double fraction) {
    return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
  }

  private static StudySlices of(
      String uid, String stratum, String sequence, List<SagittalSlice> slices) {
    List<SliceRef> refs = new ArrayList<>(slices.size());
    List<LabelledSlice> labelled = new ArrayList<>(slices.size());
    for (SagittalSlice s : slices) {
      refs.add(new SliceRef(uid, s.sliceIndex(), sequence, s.pixelSpacing(), s.pixelSpacing()));
      SliceLabelScope scope = s.labelScope() == null ? SliceLabelScope.COMPLETE : s.labelScope();
      labelled.add(new LabelledSlice(s.pixels(), s.label(), s.width(), s.height(), scope));
    }
    return new StudySlices(uid, stratum, refs, labelled);
  }

  private static TrainingData split(List<StudySlices> all, List<String> skipped) {
    StudySplit split = new StudySplit(VALIDATION_FRACTION);
    Map<String, List<StudySlices>> byStratum = new TreeMap<>();
    // Studies with no kept slice cannot train or validate anything.
    all.stream()
        .filter(s -> !s.slices().isEmpty())
        .forEach(s -> byStratum.computeIfAbsent(s.stratum(), k -> new ArrayList<>()).add(s));
    List<SliceRef> trainRefs = new ArrayList<>();
    List<LabelledSlice> train = new ArrayList<>();
    List<SliceRef> validationRefs = new ArrayList<>();
    List<LabelledSlice> validation = new ArrayList<>();
    Map<String, StratumCounts> strata = new LinkedHashMap<>();
    for (Map.Entry<String, List<StudySlices>> stratum : byStratum.entrySet()) {
      List<StudySlices> studies = new ArrayList<>(stratum.getValue());
      studies.sort(Comparator.comparingDouble(s -> StudySplit.position(s.uid())));
      long held = studies.stream().filter(s -> split.isValidation(s.uid())).count();
      if (studies.size() >= 2) {
        held = Math.max(1, Math.min(studies.size() - 1, held));
      }
      int[] counts = new int[4];
      for (int i = 0; i < studies.size(); i++) {
        StudySlices s = studies.get(i);
        boolean isValidation = i < held;
        (isValidation ? validationRefs : trainRefs).addAll(s.refs());
        (isValidation ? validation : train).addAll(s.slices());
        counts[isValidation ? 1 : 0]++;
        counts[isValidation ? 3 : 2] += s.slices().size();
      }
      strata.put(stratum.getKey(), new StratumCounts(counts[0], counts[1], counts[2], counts[3]));
    }
    return new TrainingData(
        TrainingSet.inMemory(trainRefs, train),
        TrainingSet.inMemory(validationRefs, validation),
        strata,
        List.copyOf(skipped));
  }
}
