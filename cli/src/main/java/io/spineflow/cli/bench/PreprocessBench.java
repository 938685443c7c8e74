package io.spineflow.cli.bench;

import io.spineflow.events.Sequence;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.metaimage.MetaImage;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.metaimage.MetaImageWriter.Compression;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.SourceLocation;
import io.spineflow.preprocess.StudyPreprocessor;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code ./spineflow bench preprocess}: preprocess throughput against decoding the same studies
 * alone, measured side by side in one run (design notes, "Targets": ≥ 0.5).
 *
 * <p>Both sides start from what each stage really receives and count the same thing, source
 * sagittal slices:
 *
 * <ul>
 *   <li><b>decode</b>: read each study's image and mask {@code .mha} files into {@code Image}s with
 *       {@link MetaImageReader} (what ingest does per study);
 *   <li><b>preprocess</b>: from the serialized {@code Study} record (bytes as they sit on the
 *       topic) through {@link StudyPreprocessor}, the exact per-record function of the topology's
 *       processor (Avro decode, claim-check read and SHA-256 check for large studies, slicing) to
 *       the serialized {@code Slice} and {@code SliceSummary} records. Kafka Streams' own framework
 *       (transactions, network) is left out, and with it the only non-preprocessing cost;
 *       TopologyTestDriver would add a test harness to main code and measure little more.
 * </ul>
 *
 * Rounds alternate the two sides after a warm-up; each rate is the median over rounds. Studies
 * cycle through T1, T2 and T2 SPACE phantoms at full size.
 */
final class PreprocessBench {
  private static final int WARMUP_ROUNDS = 2;
  private static final int ROUNDS = 5;

  private PreprocessBench() {}

  /**
   * The measured rates.
   *
   * @param sourceSlices sagittal slices in all studies (the unit of both rates)
   * @param emittedSlices slices the preprocessing kept
   * @param ratio {@code preprocessSlicesPerSecond / decodeSlicesPerSecond}
   */
  record BenchResult(
      int studies,
      long sourceSlices,
      long emittedSlices,
      double decodeSlicesPerSecond,
      double decodeUncompressedSlicesPerSecond,
      double preprocessSlicesPerSecond,
      double ratio) {

    /**
     * The ratio had the files been stored uncompressed (decoding is then little more than a copy).
     */
    double ratioUncompressed() {
      return preprocessSlicesPerSecond / decodeUncompressedSlicesPerSecond;
    }
  }

  /**
   * Generates {@code studies} phantom studies from {@code seed} and measures both sides. The ratio
   * is against zlib-compressed {@code .mha} files (how ITK writes SPIDER-style studies with
   * compression on, and what {@code ./spineflow phantom} writes); the rate against the same files
   * uncompressed is measured in the same rounds and reported beside it.
   */
  static BenchResult run(int studies, long seed) {
    Path dir;
    try {
      dir = Files.createTempDirectory("spineflow-bench-preprocess");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return measure(prepare(studies, seed, dir));
    } finally {
      deleteRecursively(dir);
    }
  }

  private record Prepared(
      List<Path[]> zlibFiles,
      List<Path[]> plainFiles,
      List<byte[]> records,
      StudyPreprocessor preprocessor,
      long sourceSlices) {}

  private static Prepared prepare(int count, long seed, Path dir) {
    Topics topics = Topics.defaults();
    PreprocessConfig config = PreprocessConfig.defaults(dir);
    VolumeMapper volumes =
        new VolumeMapper(
            new ClaimCheckStore(config.claimCheckDir()), Topics.STUDY_INLINE_MAX_BYTES);
    Serializer<Study> serializer = topics.studies().valueSerde().serializer();
    PhantomGenerator generator = new PhantomGenerator();
    io.spineflow.imaging.Sequence[] sequences = io.spineflow.imaging.Sequence.values();
    List<Path[]> zlibFiles = new ArrayList<>();
    List<Path[]> plainFiles = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    long sourceSlices = 0;
    try {
      for (int i = 0; i < count; i++) {
        PhantomStudy phantom =
            generator.generate(PhantomSpec.of(sequences[i % sequences.length], seed + i));
        Path image = dir.resolve(phantom.spec().fileStem() + ".mha");
        Path mask = dir.resolve(phantom.spec().fileStem() + "_mask.mha");
        MetaImageWriter.write(phantom.image(), image, Compression.ZLIB);
        MetaImageWriter.write(phantom.mask(), mask, Compression.ZLIB);
        zlibFiles.add(new Path[] {image, mask});
        Path plainImage = dir.resolve(phantom.spec().fileStem() + "_raw.mha");
        Path plainMask = dir.resolve(phantom.spec().fileStem() + "_raw_mask.mha");
        MetaImageWriter.write(phantom.image(), plainImage, Compression.NONE);
        MetaImageWriter.write(phantom.mask(), plainMask, Compression.NONE);
        plainFiles.add(new Path[] {plainImage, plainMask});
        Study study =
            Study.newBuilder()
                .setStudyUid("bench-" + i)
                .setSequence(Sequence.valueOf(phantom.sequence().name()))
                .setSource(StudySource.FOLDER)
                .setSourceName(image.getFileName().toString())
                .setContentSha256(ClaimCheckStore.sha256(Files.readAllBytes(image)))
                .setReceivedAt(Instant.now())
                .setImage(volumes.toVolume(phantom.image(), null))
                .setLabel(volumes.toVolume(phantom.mask(), null))
                .build();
        records.add(serializer.serialize(topics.studies().name(), new RecordHeaders(), study));
        sourceSlices += phantom.image().geometry().size()[phantom.truth().sagittalAxis()];
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StudyPreprocessor preprocessor =
        new StudyPreprocessor(config.slicer(), volumes, topics.studies(), Clock.systemUTC());
    return new Prepared(zlibFiles, plainFiles, records, preprocessor, sourceSlices);
  }

  private static BenchResult measure(Prepared prepared) {
    Topics topics = Topics.defaults();
    var sliceSerializer = topics.slices().valueSerde().serializer();
    var summarySerializer = topics.slicesSummary().valueSerde().serializer();
    MetaImageReader reader = new MetaImageReader();
    double[] zlibSeconds = new double[ROUNDS];
    double[] plainSeconds = new double[ROUNDS];
    double[] preprocessSeconds = new double[ROUNDS];
    long emitted = 0;
    for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      double zlib = decodeAll(reader, prepared.zlibFiles());
      long start = System.nanoTime();
      long bytes = 0;
      long kept = 0;
      for (int i = 0; i < prepared.records().size(); i++) {
        StudyPreprocessor.Outcome outcome =
            prepared
                .preprocessor()
                .process(
                    "bench-" + i,
                    prepared.records().get(i),
                    new RecordHeaders(),
                    SourceLocation.unknown());
        if (!(outcome instanceof StudyPreprocessor.Sliced sliced)) {
          throw new IllegalStateException("benchmark study rejected: " + outcome);
        }
        for (var slice : sliced.slices()) {
          bytes +=
              sliceSerializer.serialize(topics.slices().name(), new RecordHeaders(), slice.value)
                  .length;
        }
        bytes +=
            summarySerializer.serialize(
                    topics.slicesSummary().name(), new RecordHeaders(), sliced.summary())
                .length;
        kept += sliced.slices().size();
      }
      double preprocess = (System.nanoTime() - start) / 1e9;
      double plain = decodeAll(reader, prepared.plainFiles());
      if (bytes == 0) {
        throw new IllegalStateException("nothing was emitted");
      }
      if (round >= 0) {
        zlibSeconds[round] = zlib;
        plainSeconds[round] = plain;
        preprocessSeconds[round] = preprocess;
        emitted = kept;
      }
    }
    double slices = prepared.sourceSlices();
    double preprocessRate = slices / Percentiles.median(preprocessSeconds);
    double decodeRate = slices / Percentiles.median(zlibSeconds);
    return new BenchResult(
        prepared.records().size(),
        prepared.sourceSlices(),
        emitted,
        decodeRate,
        slices / Percentiles.median(plainSeconds),
        preprocessRate,
        preprocessRate / decodeRate);
  }

  /** Seconds to read every study's image and mask into {@code Image}s. */
  private static double decodeAll(MetaImageReader reader, List<Path[]> studies) {
    long start = System.nanoTime();
    long voxels = 0;
    for (Path[] study : studies) {
      for (Path file : study) {
        voxels += read(reader, file).image().voxelCount();
      }
    }
    if (voxels == 0) {
      throw new IllegalStateException("nothing was decoded");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static MetaImage read(MetaImageReader reader, Path file) {
    try {
      return reader.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is not worth failing a benchmark for.
    }
  }

  /** Measures and prints the rates; the outcome is the ratio against zlib-compressed files. */
  static BenchOutcome report(int studies, long seed, PrintWriter out) {
    BenchResult r = run(studies, seed);
    out.printf(
        Locale.ROOT,
        "preprocess benchmark: %d phantom studies (T1, T2, T2 SPACE in turn), %d sagittal slices,"
            + " %d emitted; rates in source slices/s, median of %d rounds%n",
        r.studies(),
        r.sourceSlices(),
        r.emittedSlices(),
        ROUNDS);
    out.printf(
        Locale.ROOT,
        "decode .mha (zlib) -> Image             %9.1f slices/s%n",
        r.decodeSlicesPerSecond());
    out.printf(
        Locale.ROOT,
        "decode .mha (uncompressed) -> Image     %9.1f slices/s (ratio against it %.3f)%n",
        r.decodeUncompressedSlicesPerSecond(),
        r.ratioUncompressed());
    out.printf(
        Locale.ROOT,
        "preprocess Study record -> Slice records %9.1f slices/s (Avro serdes included)%n",
        r.preprocessSlicesPerSecond());
    return BenchOutcome.of("preprocess", r.ratio(), 3);
  }
}
