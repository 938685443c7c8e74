package io.spineflow.cli.training;

import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.AnatomicalPriors;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metrics.SpineClass;
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
 * guarantee per stratum that gives studies to validation ({@link #holdsOut}: the phantoms, and sets
 * of real studies that validation can score and that are large enough): a stratum of two or more
 * studies has at least one study on each side; the study moved is the one nearest the split line.
 * Other sets train whole.
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

  /** Fewer studies of a real set than this all go to training. */
  public static final int MIN_REAL_STUDIES_TO_HOLD_OUT = 4;

  /** The trainer's default share of validation studies. */
  public static final double VALIDATION_FRACTION = 0.2;

  /**
   * How one stratum was split.
   *
   * @param trainStudies studies in the training set
   * @param validationStudies studies in the validation set
   * @param trainSlices their slices
   * @param validationSlices their slices
   * @param repeats how many times each training slice is in an epoch ({@link #balanceFactor})
   */
  public record StratumCounts(
      int trainStudies,
      int validationStudies,
      int trainSlices,
      int validationSlices,
      int repeats) {}

  /**
   * How many times a set's training slices go into an epoch so that small sets are not drowned: the
   * mean slice count of the sets over this set's, rounded, 1 to {@value #MAX_REPEATS} (three
   * disc-labelled studies among thirty-eight bodies-labelled ones otherwise give the discs one
   * slice in sixteen). Augmentation makes the repeats differ.
   */
  static int balanceFactor(int slices, Map<String, Integer> setSlices) {
    double mean = setSlices.values().stream().mapToInt(Integer::intValue).average().orElse(slices);
    return slices == 0 ? 1 : (int) Math.max(1, Math.min(MAX_REPEATS, Math.round(mean / slices)));
  }

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
    return load(
        studies, new Mix(phantoms, firstPhantomSeed, 0, null, false), architecture, progress);
  }

  /**
   * What goes into the data besides the studies on disk, and how it is prepared.
   *
   * @param phantoms labelled phantom studies to add (T1, T2, T2 SPACE in turn)
   * @param firstPhantomSeed seed of the first phantom; phantom {@code i} has {@code firstSeed + i}
   * @param randomisedFraction share of the phantoms randomised ({@link PhantomSpec#randomised()}:
   *     SynthSeg-style random contrasts, resolution and artefacts), spread evenly ({@link
   *     #isRandomised}): 0 (default phantoms only) to 1
   * @param priors completes the partial labels of training slices where anatomy is certain (null:
   *     none); validation slices keep the label as drawn
   * @param balanceSets repeat the training slices of small sets ({@link #balanceFactor})
   */
  public record Mix(
      int phantoms,
      long firstPhantomSeed,
      double randomisedFraction,
      AnatomicalPriors priors,
      boolean balanceSets) {
    /** Checks the values. */
    public Mix {
      if (phantoms < 0) {
        throw new IllegalArgumentException("--phantoms must be >= 0: " + phantoms);
      }
      if (!(randomisedFraction >= 0 && randomisedFraction <= 1)) {
        throw new IllegalArgumentException(
            "--randomised-phantoms must be 0..1: " + randomisedFraction);
      }
    }
  }

  /** The most times one training slice is repeated by set balancing. */
  public static final int MAX_REPEATS = 4;

  /**
   * As {@link #load(List, int, long, UNetConfig, ConsoleProgress)}, with everything {@code mix}
   * says.
   */
  public static TrainingData load(
      List<LabelledStudyFile> studies, Mix mix, UNetConfig architecture, ConsoleProgress progress)
      throws IOException {
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
    for (int i = 0; i < mix.phantoms(); i++) {
      PhantomStudy study =
          generator.generate(
              PhantomSpec.of(sequences[i % 3], mix.firstPhantomSeed() + i)
                  .withRandomised(isRandomised(i, mix.randomisedFraction())));
      List<SagittalSlice> slices = slicer.slice(study.image(), study.mask()).slices();
      all.add(of(study.studyId(), PHANTOMS, study.sequence().name(), slices));
      progress.step("phantom " + (i + 1) + ": " + slices.size() + " slices");
    }
    return split(all, skipped, mix);
  }

  /**
   * Whether phantom {@code i} is randomised: the fraction spread evenly over the indices (with 0.25
   * every fourth), so the alternating sequences keep equal shares.
   */
  public static boolean isRandomised(int i, double fraction) {
    return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
  }

  private static List<LabelledSlice> withPriors(StudySlices study, AnatomicalPriors priors) {
    List<LabelledSlice> out = new ArrayList<>(study.slices().size());
    for (int i = 0; i < study.slices().size(); i++) {
      LabelledSlice s = study.slices().get(i);
      double pixelMm = study.refs().get(i).columnSpacingMm();
      byte[] labels = priors.apply(s.labels(), s.width(), s.height(), pixelMm, s.scope());
      out.add(new LabelledSlice(s.pixels(), labels, s.width(), s.height(), s.scope()));
    }
    return out;
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

  /**
   * Whether a stratum gives studies to validation: the phantoms from two studies on; a set of real
   * studies only when validation can score it (it labels a class completely; bodies-only labels
   * give no Dice) and it has {@value #MIN_REAL_STUDIES_TO_HOLD_OUT} or more (with three
   * disc-labelled studies, holding one out would take a third of the disc evidence from training).
   */
  private static boolean holdsOut(String stratum, List<StudySlices> studies) {
    if (stratum.equals(PHANTOMS)) {
      return true;
    }
    boolean scorable =
        studies.stream()
            .flatMap(s -> s.slices().stream())
            .anyMatch(
                s -> SpineClass.FOREGROUND.stream().anyMatch(c -> s.scope().completelyLabels(c)));
    return scorable && studies.size() >= MIN_REAL_STUDIES_TO_HOLD_OUT;
  }

  private static TrainingData split(List<StudySlices> all, List<String> skipped, Mix mix) {
    StudySplit split = new StudySplit(VALIDATION_FRACTION);
    Map<String, List<StudySlices>> byStratum = new TreeMap<>();
    // Studies with no kept slice cannot train or validate anything.
    all.stream()
        .filter(s -> !s.slices().isEmpty())
        .forEach(s -> byStratum.computeIfAbsent(s.stratum(), k -> new ArrayList<>()).add(s));
    Map<String, List<StudySlices>> trainStudies = new LinkedHashMap<>();
    List<SliceRef> validationRefs = new ArrayList<>();
    List<LabelledSlice> validation = new ArrayList<>();
    for (Map.Entry<String, List<StudySlices>> stratum : byStratum.entrySet()) {
      List<StudySlices> studies = new ArrayList<>(stratum.getValue());
      studies.sort(Comparator.comparingDouble(s -> StudySplit.position(s.uid())));
      long held = studies.stream().filter(s -> split.isValidation(s.uid())).count();
      if (!holdsOut(stratum.getKey(), studies)) {
        held = 0;
      } else if (studies.size() >= 2) {
        held = Math.max(1, Math.min(studies.size() - 1, held));
      }
      for (StudySlices s : studies.subList(0, (int) held)) {
        validationRefs.addAll(s.refs());
        validation.addAll(s.slices());
      }
      trainStudies.put(stratum.getKey(), studies.subList((int) held, studies.size()));
    }
    Map<String, Integer> sizes = new LinkedHashMap<>();
    trainStudies.forEach((k, v) -> sizes.put(k, v.stream().mapToInt(s -> s.slices().size()).sum()));
    List<SliceRef> trainRefs = new ArrayList<>();
    List<LabelledSlice> train = new ArrayList<>();
    Map<String, StratumCounts> strata = new LinkedHashMap<>();
    for (Map.Entry<String, List<StudySlices>> stratum : byStratum.entrySet()) {
      List<StudySlices> studies = trainStudies.get(stratum.getKey());
      int repeats = mix.balanceSets() ? balanceFactor(sizes.get(stratum.getKey()), sizes) : 1;
      for (StudySlices s : studies) {
        List<LabelledSlice> slices =
            mix.priors() == null ? s.slices() : withPriors(s, mix.priors());
        for (int r = 0; r < repeats; r++) {
          trainRefs.addAll(s.refs());
          train.addAll(slices);
        }
      }
      int heldStudies = stratum.getValue().size() - studies.size();
      int allSlices = stratum.getValue().stream().mapToInt(s -> s.slices().size()).sum();
      int trainSlices = sizes.get(stratum.getKey());
      strata.put(
          stratum.getKey(),
          new StratumCounts(
              studies.size(), heldStudies, trainSlices, allSlices - trainSlices, repeats));
    }
    return new TrainingData(
        TrainingSet.inMemory(trainRefs, train),
        TrainingSet.inMemory(validationRefs, validation),
        strata,
        List.copyOf(skipped));
  }
}
