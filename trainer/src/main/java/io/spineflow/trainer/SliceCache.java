package io.spineflow.trainer;

import io.spineflow.events.LabelScope;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.training.SliceRef;
import io.spineflow.model.training.StudySplit;
import io.spineflow.model.training.TrainingSet;
import io.spineflow.platform.LabelEvents;
import io.spineflow.platform.LogSafe;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's local copy of the labelled slices, on disk: Kafka ({@code slices}, retained
 * forever) stays the source of truth, and a lost cache is rebuilt by reading the topics again.
 *
 * <p>Only an index lives on the heap (study → emitted and received slice indexes, sizes and
 * spacings: tens of bytes per slice); pixels and labels are written to one file per slice and read
 * back batch by batch during training, so memory does not grow with the data set. Layout under the
 * cache directory: {@code studies/<sha256(uid)[:32]>/<sliceIndex>.slice} and {@code summary.bin},
 * and {@code offsets.properties}, the next offset per partition of {@code slices} and {@code
 * slices.summary} whose records are all in the cache. Files are written to a temporary name and
 * renamed, so a crash leaves whole files only; records after the saved offsets are read again and
 * simply overwrite their files.
 *
 * <p>A study is <em>complete</em> once its summary arrived, it is labelled, and every slice the
 * summary lists has arrived (its slices and summary travel on different partitions, so either may
 * come first). Unlabelled slices and studies are ignored. A partially labelled slice keeps its
 * {@code labelScope} (null: complete), so training reads which classes and rows its label covers.
 *
 * <p>Thread-safe: the data consumer writes while the trainer takes {@linkplain #snapshot
 * snapshots}.
 */
final class SliceCache {

  private static final Logger LOG = LoggerFactory.getLogger(SliceCache.class);

  /** A complete-label slice file of before partial labels: read as complete. */
  private static final int SLICE_MAGIC_V1 = 0x53465331; // "SFS1"

  /** A slice file with its label scope after the spacings. */
  private static final int SLICE_MAGIC = 0x53465333; // "SFS3"

  private static final int SUMMARY_MAGIC = 0x53465332; // "SFS2"
  private static final String OFFSETS_FILE = "offsets.properties";

  private final Path root;
  private final Path studiesDir;
  private final Map<String, StudyEntry> studies = new HashMap<>();
  private final Map<String, Long> offsets = new TreeMap<>();
  private int cachedSlices;

  /** A slice's facts kept on the heap. */
  private record SliceMeta(
      int width, int height, String sequence, double columnMm, double rowMm, Path file) {}

  private static final class StudyEntry {
    final String uid;
    final Path dir;
    final Map<Integer, SliceMeta> received = new TreeMap<>();
    int[] emitted; // null until the summary arrived
    boolean labelled;

    StudyEntry(String uid, Path dir) {
      this.uid = uid;
      this.dir = dir;
    }

    boolean complete() {
      if (emitted == null || !labelled) {
        return false;
      }
      for (int i : emitted) {
        if (!received.containsKey(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The training and validation sets of the complete studies at one moment, and what they cover.
   *
   * @param train the training slices (studies on the training side of the split)
   * @param validation the validation slices
   * @param sliceOffsets next offset per partition of {@code slices} read into the cache
   * @param completeStudies complete labelled studies in the cache
   * @param skippedSlices slices of complete studies left out for having another size than the model
   */
  record Snapshot(
      TrainingSet train,
      TrainingSet validation,
      Map<Integer, Long> sliceOffsets,
      int completeStudies,
      int skippedSlices) {}

  private SliceCache(Path root) {
    this.root = root;
    this.studiesDir = root.resolve("studies");
  }

  /** Opens (or creates) the cache under {@code root} and rebuilds its index from disk. */
  static SliceCache open(Path root) throws IOException {
    SliceCache cache = new SliceCache(root);
    Files.createDirectories(cache.studiesDir);
    cache.loadIndex();
    return cache;
  }

  /** The cache directory. */
  Path root() {
    return root;
  }

  /**
   * Stores a labelled slice (an unlabelled one is ignored).
   *
   * @return whether it was stored
   */
  synchronized boolean putSlice(Slice slice) throws IOException {
    if (slice.getLabel() == null) {
      return false;
    }
    int w = slice.getWidth();
    int h = slice.getHeight();
    ByteBuffer pixels = slice.getPixels().duplicate();
    ByteBuffer label = slice.getLabel().duplicate();
    if (w < 1 || h < 1 || pixels.remaining() != 4L * w * h || label.remaining() != (long) w * h) {
      LOG.warn(
          "ignoring slice {}/{}: {}x{} with {} pixel bytes and {} label bytes",
          LogSafe.id(slice.getStudyUid()),
          slice.getSliceIndex(),
          w,
          h,
          pixels.remaining(),
          label.remaining());
      return false;
    }
    SliceLabelScope scope;
    try {
      scope = scope(slice.getLabelScope());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "ignoring slice {}/{}: labelScope {}",
          LogSafe.id(slice.getStudyUid()),
          slice.getSliceIndex(),
          LogSafe.text(e.getMessage()));
      return false;
    }
    double columnMm = spacing(slice, 0);
    double rowMm = spacing(slice, 1);
    StudyEntry study = study(slice.getStudyUid());
    Path file = study.dir.resolve(slice.getSliceIndex() + ".slice");
    String sequence = slice.getSequence().name();
    writeAtomically(
        file,
        out -> {
          out.writeInt(SLICE_MAGIC);
          out.writeUTF(slice.getStudyUid());
          out.writeInt(slice.getSliceIndex());
          out.writeUTF(sequence);
          out.writeInt(w);
          out.writeInt(h);
          out.writeDouble(columnMm);
          out.writeDouble(rowMm);
          writeScope(out, scope);
          write(out, pixels);
          write(out, label);
        });
    if (study.received.put(
            slice.getSliceIndex(), new SliceMeta(w, h, sequence, columnMm, rowMm, file))
        == null) {
      cachedSlices++;
    }
    return true;
  }

  /**
   * Stores a study's summary (it replaces an earlier one: a re-sent study may emit other slices).
   *
   * @return whether the study is complete now
   */
  synchronized boolean putSummary(SliceSummary summary) throws IOException {
    StudyEntry study = study(summary.getStudyUid());
    int[] emitted = summary.getEmittedSliceIndexes().stream().mapToInt(Integer::intValue).toArray();
    writeAtomically(
        study.dir.resolve("summary.bin"),
        out -> {
          out.writeInt(SUMMARY_MAGIC);
          out.writeUTF(summary.getStudyUid());
          out.writeBoolean(summary.getLabelled());
          out.writeInt(emitted.length);
          for (int i : emitted) {
            out.writeInt(i);
          }
        });
    study.emitted = emitted;
    study.labelled = summary.getLabelled();
    return study.complete();
  }

  /**
   * Applies one poll's records and then records their offsets, as one step for {@link #snapshot}: a
   * snapshot never sees a study completed by records its offsets do not cover yet, so a model's
   * lineage offsets always cover its training data.
   *
   * @param values decoded values: {@link Slice}s and {@link SliceSummary}s (others are ignored)
   * @param next next offset by {@code topic:partition} after these records
   */
  synchronized void apply(List<Object> values, Map<String, Long> next) throws IOException {
    for (Object v : values) {
      if (v instanceof Slice slice) {
        putSlice(slice);
      } else if (v instanceof SliceSummary summary) {
        putSummary(summary);
      }
    }
    saveOffsets(next);
  }

  /**
   * Records that every record before these offsets is in the cache, and saves them (atomically).
   *
   * @param next next offset by {@code topic:partition}
   */
  synchronized void saveOffsets(Map<String, Long> next) throws IOException {
    offsets.putAll(next);
    Properties p = new Properties();
    offsets.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
    Path temp = root.resolve(OFFSETS_FILE + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      p.store(out, "next offsets whose records are all in the cache");
    }
    move(temp, root.resolve(OFFSETS_FILE));
  }

  /** The saved next offset of a {@code topic:partition}, if any. */
  synchronized Long offset(String topic, int partition) {
    return offsets.get(topic + ":" + partition);
  }

  /** Complete labelled studies. */
  synchronized int completeStudies() {
    int n = 0;
    for (StudyEntry s : studies.values()) {
      if (s.complete()) {
        n++;
      }
    }
    return n;
  }

  /** Labelled slices on disk. */
  synchronized int cachedSlices() {
    return cachedSlices;
  }

  /**
   * The complete studies' slices of size {@code width}×{@code height}, split by {@code split}.
   *
   * @param slicesTopic the {@code slices} topic name, to report its offsets
   */
  synchronized Snapshot snapshot(StudySplit split, int width, int height, String slicesTopic) {
    List<SliceRef> trainRefs = new ArrayList<>();
    List<Path> trainFiles = new ArrayList<>();
    List<SliceRef> validationRefs = new ArrayList<>();
    List<Path> validationFiles = new ArrayList<>();
    int complete = 0;
    int skipped = 0;
    SortedSet<String> uids = new TreeSet<>(studies.keySet()); // a stable order
    for (String uid : uids) {
      StudyEntry s = studies.get(uid);
      if (!s.complete()) {
        continue;
      }
      complete++;
      boolean validation = split.isValidation(uid);
      for (int index : new TreeSet<>(toList(s.emitted))) {
        SliceMeta m = s.received.get(index);
        if (m.width() != width || m.height() != height) {
          skipped++;
          continue;
        }
        SliceRef ref = new SliceRef(uid, index, m.sequence(), m.columnMm(), m.rowMm());
        (validation ? validationRefs : trainRefs).add(ref);
        (validation ? validationFiles : trainFiles).add(m.file());
      }
    }
    if (skipped > 0) {
      LOG.warn(
          "{} cached slices are not {}x{} (the model's input) and are left out",
          skipped,
          width,
          height);
    }
    Map<Integer, Long> sliceOffsets = new TreeMap<>();
    String prefix = slicesTopic + ":";
    offsets.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            sliceOffsets.put(Integer.parseInt(k.substring(prefix.length())), v);
          }
        });
    return new Snapshot(
        new CachedSet(trainRefs, trainFiles),
        new CachedSet(validationRefs, validationFiles),
        sliceOffsets,
        complete,
        skipped);
  }

  /** Reads one cached slice file. */
  static LabelledSlice read(Path file) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int magic = in.readInt();
      if (magic != SLICE_MAGIC && magic != SLICE_MAGIC_V1) {
        throw new IOException("not a cached slice: " + file);
      }
      in.readUTF();
      in.readInt();
      in.readUTF();
      int w = in.readInt();
      int h = in.readInt();
      in.readDouble();
      in.readDouble();
      SliceLabelScope scope = magic == SLICE_MAGIC ? readScope(in) : SliceLabelScope.COMPLETE;
      byte[] pixelBytes = in.readNBytes(4 * w * h);
      byte[] labels = in.readNBytes(w * h);
      if (pixelBytes.length != 4 * w * h || labels.length != w * h) {
        throw new IOException("truncated cached slice: " + file);
      }
      float[] pixels = new float[w * h];
      ByteBuffer.wrap(pixelBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
      return new LabelledSlice(pixels, labels, w, h, scope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("bad label scope in " + file, e));
    }
  }

  private StudyEntry study(String uid) throws IOException {
    StudyEntry s = studies.get(uid);
    if (s == null) {
      Path dir = studiesDir.resolve(directoryName(uid));
      Files.createDirectories(dir);
      s = new StudyEntry(uid, dir);
      studies.put(uid, s);
    }
    return s;
  }

  private void loadIndex() throws IOException {
    Path offsetsFile = root.resolve(OFFSETS_FILE);
    if (Files.exists(offsetsFile)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(offsetsFile)) {
        p.load(in);
      }
      p.forEach((k, v) -> offsets.put(k.toString(), Long.parseLong(v.toString())));
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(studiesDir)) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir)) {
          loadStudy(dir);
        }
      }
    }
    LOG.info(
        "slice cache {}: {} studies ({} complete), {} labelled slices",
        root,
        studies.size(),
        completeStudies(),
        cachedSlices);
  }

  private void loadStudy(Path dir) throws IOException {
    StudyEntry study = null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          if (name.endsWith(".slice")) {
            try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 256))) {
              int magic = in.readInt();
              if (magic != SLICE_MAGIC && magic != SLICE_MAGIC_V1) {
                continue;
              }
              String uid = in.readUTF();
              int index = in.readInt();
              String sequence = in.readUTF();
              int w = in.readInt();
              int h = in.readInt();
              double columnMm = in.readDouble();
              double rowMm = in.readDouble();
              if (study == null) {
                study = new StudyEntry(uid, dir);
                studies.put(uid, study);
              }
              study.received.put(index, new SliceMeta(w, h, sequence, columnMm, rowMm, file));
              cachedSlices++;
            }
          } else if (name.equals("summary.bin")) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
              if (in.readInt() != SUMMARY_MAGIC) {
                continue;
              }
              String uid = in.readUTF();
              boolean labelled = in.readBoolean();
              int[] emitted = new int[in.readInt()];
              for (int i = 0; i < emitted.length; i++) {
                emitted[i] = in.readInt();
              }
              if (study == null) {
                study = new StudyEntry(uid, dir);
                studies.put(uid, study);
              }
              study.labelled = labelled;
              study.emitted = emitted;
            }
          }
        } catch (IOException e) {
          // A damaged file is re-read from Kafka only if the offsets are behind it: say so.
          LOG.warn(
              "skipping unreadable cache file {}: {}",
              LogSafe.id(file.toString()),
              LogSafe.text(e.toString()));
        }
      }
    }
  }

  /**
   * A slice's {@link LabelScope} as the imaging type: null is a complete label; {@code OTHER} (a
   * class this reader does not know) is left out, as not labelled.
   *
   * @throws IllegalArgumentException when no known class is left
   */
  static SliceLabelScope scope(LabelScope scope) {
    return LabelEvents.scope(scope)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "classes " + scope.getClasses() + " name no class this trainer knows"));
  }

  private static void writeScope(DataOutputStream out, SliceLabelScope scope) throws IOException {
    out.writeInt(scope.classes().size());
    for (LabelledStructure c : scope.classes()) {
      out.writeUTF(c.name());
    }
    out.writeInt(scope.firstRow());
    out.writeInt(scope.lastRow());
  }

  private static SliceLabelScope readScope(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 1 || count > LabelledStructure.values().length) {
      throw new IOException("bad label scope: " + count + " classes");
    }
    Set<LabelledStructure> classes = EnumSet.noneOf(LabelledStructure.class);
    for (int i = 0; i < count; i++) {
      classes.add(LabelledStructure.valueOf(in.readUTF()));
    }
    return new SliceLabelScope(classes, in.readInt(), in.readInt());
  }

  private static List<Integer> toList(int[] values) {
    List<Integer> out = new ArrayList<>(values.length);
    for (int v : values) {
      out.add(v);
    }
    return out;
  }

  private static double spacing(Slice slice, int i) {
    List<Double> s = slice.getPixelSpacing();
    double v = s != null && s.size() > i ? s.get(i) : 1.0;
    return v > 0 && Double.isFinite(v) ? v : 1.0;
  }

  /** A file-system-safe directory name for any UID. */
  static String directoryName(String uid) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static void writeAtomically(Path file, Writer writer) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
      writer.write(out);
    }
    move(temp, file);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void write(DataOutputStream out, ByteBuffer buffer) throws IOException {
    if (buffer.hasArray()) {
      out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    } else {
      byte[] copy = new byte[buffer.remaining()];
      buffer.get(copy);
      out.write(copy);
    }
  }

  /** A training set over cached slice files, read on demand. */
  private static final class CachedSet implements TrainingSet {
    private final List<SliceRef> refs;
    private final List<Path> files;

    CachedSet(List<SliceRef> refs, List<Path> files) {
      this.refs = List.copyOf(refs);
      this.files = List.copyOf(files);
    }

    @Override
    public int size() {
      return refs.size();
    }

    @Override
    public SliceRef ref(int index) {
      return refs.get(index);
    }

    @Override
    public LabelledSlice load(int index) {
      return read(files.get(index));
    }
  }
}
