package io.spineflow.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spineflow.platform.blob.BlobStore;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned models in a directory: {@code <root>/<name>/v<version>/} holding
 *
 * <ul>
 *   <li>{@value #WEIGHTS_FILE}: the block's parameters in DJL's format (no architecture),
 *   <li>{@value #ARCHITECTURE_FILE}: the {@link UNetConfig} to rebuild the block,
 *   <li>{@value #METADATA_FILE}: free-form facts from the trainer (metrics, lineage, …).
 * </ul>
 *
 * <p>A version is written into a hidden temporary directory beside its final place and renamed in
 * one atomic step, so a reader never sees half a model; versions are immutable (saving one that
 * exists fails). Loading verifies before it trusts: the weights' SHA-256 and the architecture are
 * compared with what the caller expects (the {@code models} announcement) before any byte is
 * parsed, and the parsed parameters are checked against the architecture's shapes.
 *
 * <p>With a {@link BlobStore} ({@link #ModelStore(Path, BlobStore)}), the blob store is the source
 * of truth and the directory a local cache: {@link #publish} puts a saved version's files into it,
 * {@link #fetch} brings an announced version into the directory ({@link ModelArtifacts}).
 */
public final class ModelStore {

  /** Weights file name. */
  public static final String WEIGHTS_FILE = "weights.params";

  /** Architecture file name. */
  public static final String ARCHITECTURE_FILE = "architecture.json";

  /** Metadata file name. */
  public static final String METADATA_FILE = "metadata.json";

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]{0,8})");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final BlobStore blobs;

  /** A store over {@code root} (created on the first save). */
  public ModelStore(Path root) {
    this(root, null);
  }

  /**
   * A store over {@code root} that publishes to and fetches from {@code blobs}, the source of truth
   * ({@code root} is then a local cache); null for a directory alone.
   */
  public ModelStore(Path root, BlobStore blobs) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.blobs = blobs;
  }

  /** The blob store versions are published to, if any. */
  public Optional<BlobStore> blobs() {
    return Optional.ofNullable(blobs);
  }

  /**
   * Publishes a saved version's files to the blob store, if this store has one.
   *
   * @return file name → {@code sha256:<hex>} (an announcement's {@code artifacts}); empty without a
   *     blob store
   */
  public Optional<Map<String, String>> publish(StoredModel stored) throws IOException {
    return blobs == null ? Optional.empty() : Optional.of(ModelArtifacts.publish(blobs, stored));
  }

  /**
   * The local directory of an announced version: fetched from the blob store by {@code artifacts}
   * into this store's directory unless it is there already.
   *
   * @throws IllegalStateException if this store has no blob store
   * @see ModelArtifacts#fetch
   */
  public Path fetch(String name, int version, Map<String, String> artifacts)
      throws ModelRejectedException {
    if (blobs == null) {
      throw new IllegalStateException("no blob store configured for " + root);
    }
    return ModelArtifacts.fetch(blobs, artifacts, this, name, version);
  }

  /** The store's root directory. */
  public Path root() {
    return root;
  }

  /**
   * The directory of one version, whether or not it exists.
   *
   * @throws IllegalArgumentException for a name that is not {@code [A-Za-z0-9][A-Za-z0-9._-]*} (at
   *     most 100 characters; no path separators or {@code ..}) or a version below 1
   */
  public Path directory(String name, int version) {
    requireName(name);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
    return root.resolve(name).resolve("v" + version);
  }

  /**
   * Saves an initialised block's parameters with its architecture and metadata, atomically.
   *
   * @param name model name
   * @param version version, from 1; must not exist yet
   * @param block the trained {@link UNet} (or any block built from {@code config})
   * @param config the architecture {@code block} was built from
   * @param metadata JSON-serialisable facts (metrics, training data, parent version); may be empty
   * @return the stored version, with the weights' SHA-256
   * @throws FileAlreadyExistsException if this version exists
   * @throws IOException if writing fails (nothing is left behind)
   */
  public StoredModel save(
      String name, int version, Block block, UNetConfig config, Map<String, ?> metadata)
      throws IOException {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(metadata, "metadata");
    Path target = directory(name, version);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "model versions are immutable");
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempDirectory(target.getParent(), ".tmp-v" + version + "-");
    try {
      MessageDigest digest = sha256();
      try (OutputStream file = Files.newOutputStream(temp.resolve(WEIGHTS_FILE));
          DataOutputStream out =
              new DataOutputStream(
                  new BufferedOutputStream(new DigestOutputStream(file, digest), 1 << 16))) {
        block.saveParameters(out);
      }
      writeText(temp.resolve(ARCHITECTURE_FILE), config.toJson());
      writeText(temp.resolve(METADATA_FILE), JSON.writeValueAsString(metadata));
      for (String file : List.of(WEIGHTS_FILE, ARCHITECTURE_FILE, METADATA_FILE)) {
        forceToDisk(temp.resolve(file));
      }
      // rename(2) of a directory is atomic, and fails if another writer got there first.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      StoredModel stored =
          new StoredModel(name, version, target, HexFormat.of().formatHex(digest.digest()), config);
      LOG.info("saved {} to {} (sha256 {})", stored.label(), target, stored.sha256());
      return stored;
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temp);
      throw e;
    }
  }

  /** {@link #save(String, int, Block, UNetConfig, Map)} with the model's block. */
  public StoredModel save(
      String name, int version, Model model, UNetConfig config, Map<String, ?> metadata)
      throws IOException {
    return save(name, version, model.getBlock(), config, metadata);
  }

  /**
   * Loads a version onto {@link Devices#best()}, verifying it first.
   *
   * @see #load(Path, String, UNetConfig, Device)
   */
  public SegmentationModel load(
      String name, int version, String expectedSha256, UNetConfig expectedConfig)
      throws ModelRejectedException {
    return load(name, version, expectedSha256, expectedConfig, Devices.best());
  }

  /**
   * Loads a version onto {@code device}, verifying it first.
   *
   * @see #load(Path, String, UNetConfig, Device)
   */
  public SegmentationModel load(
      String name, int version, String expectedSha256, UNetConfig expectedConfig, Device device)
      throws ModelRejectedException {
    return load(directory(name, version), expectedSha256, expectedConfig, device);
  }

  /**
   * Loads a model directory ({@code …/<name>/v<version>}, e.g. an announced location), verifying it
   * before use, in this order: all files present ({@code MISSING_FILE}); weights SHA-256 equals
   * {@code expectedSha256} ({@code CHECKSUM_MISMATCH}); {@value #ARCHITECTURE_FILE} equals {@code
   * expectedConfig} ({@code ARCHITECTURE_MISMATCH}); the weights parse completely and every
   * parameter has the architecture's shape ({@code CORRUPT_WEIGHTS}). The weights are read once
   * into memory, so the bytes checked are the bytes loaded.
   *
   * @param directory the version directory
   * @param expectedSha256 hex SHA-256 of the weights (case-insensitive); required
   * @param expectedConfig the architecture the caller expects; required
   * @param device where to load the weights
   * @return the loaded model; the caller closes it
   * @throws ModelRejectedException if any check fails (nothing stays allocated)
   */
  public static SegmentationModel load(
      Path directory, String expectedSha256, UNetConfig expectedConfig, Device device)
      throws ModelRejectedException {
    Objects.requireNonNull(expectedSha256, "expectedSha256");
    Objects.requireNonNull(expectedConfig, "expectedConfig");
    Objects.requireNonNull(device, "device");
    String label = label(directory);
    byte[] weights = readWeights(directory, label);
    String actualSha = HexFormat.of().formatHex(sha256().digest(weights));
    if (!actualSha.equalsIgnoreCase(expectedSha256.trim())) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.CHECKSUM_MISMATCH,
          label
              + ": "
              + WEIGHTS_FILE
              + " has sha256 "
              + actualSha
              + ", expected "
              + expectedSha256);
    }
    UNetConfig stored = readArchitecture(directory, label);
    List<String> differences = expectedConfig.differences(stored);
    if (!differences.isEmpty()) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.ARCHITECTURE_MISMATCH,
          label
              + ": "
              + ARCHITECTURE_FILE
              + " differs from the expected architecture (expected ≠ "
              + "stored): "
              + String.join("; ", differences));
    }
    StoredModel source =
        new StoredModel(nameOf(directory), versionOf(directory), directory, actualSha, stored);
    Map<String, Shape> expectedShapes = parameterShapes(stored);
    Model model = Model.newInstance(label, device, DjlEngine.ENGINE_NAME);
    try {
      UNet unet = new UNet(stored);
      model.setBlock(unet);
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights));
      unet.loadParameters(model.getNDManager(), in);
      if (in.available() > 0) {
        throw new MalformedModelException(in.available() + " bytes after the last parameter");
      }
      checkShapes(unet, expectedShapes);
      LOG.info("loaded {} from {} on {}", source.label(), directory, device);
      return new SegmentationModel(model, stored, source);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ModelRejectedException(
          ModelRejectedException.Reason.CORRUPT_WEIGHTS,
          label + ": " + WEIGHTS_FILE + " does not fit the architecture: " + e.getMessage(),
          e);
    }
  }

  /**
   * Reads a stored version's description (computing its weights' SHA-256) without loading it: for
   * tools that are pointed at a directory and have no announcement to compare with.
   *
   * @throws ModelRejectedException if files are missing or the architecture is unreadable
   */
  public static StoredModel inspect(Path directory) throws ModelRejectedException {
    String label = label(directory);
    byte[] weights = readWeights(directory, label);
    UNetConfig config = readArchitecture(directory, label);
    return new StoredModel(
        nameOf(directory),
        versionOf(directory),
        directory,
        HexFormat.of().formatHex(sha256().digest(weights)),
        config);
  }

  /** The metadata a version was saved with. */
  public Map<String, Object> metadata(String name, int version) throws IOException {
    String json =
        Files.readString(directory(name, version).resolve(METADATA_FILE), StandardCharsets.UTF_8);
    return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** The versions of {@code name} in the store, ascending; empty if there are none. */
  public List<Integer> versions(String name) {
    requireName(name);
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      children.forEach(
          p -> {
            Matcher m = VERSION_DIR.matcher(p.getFileName().toString());
            if (m.matches() && Files.isDirectory(p)) {
              out.add(Integer.parseInt(m.group(1)));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** The highest version of {@code name}, if any. */
  public OptionalInt latestVersion(String name) {
    List<Integer> v = versions(name);
    return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(v.get(v.size() - 1));
  }

  /** The names of the parameters of {@code config}'s block and their shapes. */
  static Map<String, Shape> parameterShapes(UNetConfig config) {
    UNet reference = new UNet(config);
    // A scratch CPU manager, freed at once: the shapes are what we keep.
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      reference.initialize(scratch, DataType.FLOAT32, reference.inputShape(1));
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : reference.getParameters()) {
        shapes.put(p.getKey(), p.getValue().getArray().getShape());
      }
      return shapes;
    }
  }

  private static void checkShapes(Block block, Map<String, Shape> expected)
      throws MalformedModelException {
    int seen = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Shape want = expected.get(p.getKey());
      Shape got = p.getValue().getArray() == null ? null : p.getValue().getArray().getShape();
      if (want == null || !want.equals(got)) {
        throw new MalformedModelException(
            "parameter " + p.getKey() + " has shape " + got + ", architecture expects " + want);
      }
      seen++;
    }
    if (seen != expected.size()) {
      throw new MalformedModelException(
          seen + " parameters loaded, architecture has " + expected.size());
    }
  }

  private static byte[] readWeights(Path directory, String label) throws ModelRejectedException {
    List<String> missing = new ArrayList<>();
    for (String file : List.of(WEIGHTS_FILE, ARCHITECTURE_FILE, METADATA_FILE)) {
      if (!Files.isRegularFile(directory.resolve(file))) {
        missing.add(file);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE,
          label + ": missing " + String.join(", ", missing) + " in " + directory);
    }
    try {
      return Files.readAllBytes(directory.resolve(WEIGHTS_FILE));
    } catch (NoSuchFileException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE, label + ": " + WEIGHTS_FILE + " vanished", e);
    } catch (IOException | OutOfMemoryError e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.CORRUPT_WEIGHTS,
          label + ": cannot read " + WEIGHTS_FILE + ": " + e,
          e);
    }
  }

  private static UNetConfig readArchitecture(Path directory, String label)
      throws ModelRejectedException {
    try {
      return UNetConfig.fromJson(
          Files.readString(directory.resolve(ARCHITECTURE_FILE), StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.ARCHITECTURE_MISMATCH,
          label + ": unreadable " + ARCHITECTURE_FILE + ": " + e.getMessage(),
          e);
    }
  }

  private static String label(Path directory) {
    Path parent = directory.toAbsolutePath().normalize().getParent();
    String name = parent == null ? "?" : String.valueOf(parent.getFileName());
    return name + "/" + directory.getFileName();
  }

  private static String nameOf(Path directory) {
    Path parent = directory.toAbsolutePath().normalize().getParent();
    return parent == null ? "" : String.valueOf(parent.getFileName());
  }

  /** The version in a {@code vN} directory name, or 0 if the directory is named otherwise. */
  private static int versionOf(Path directory) {
    Matcher m = VERSION_DIR.matcher(String.valueOf(directory.getFileName()));
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "model name '" + name + "' must match " + NAME.pattern() + " (no path separators)");
    }
  }

  private static void writeText(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
  }

  private static void forceToDisk(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Deletes {@code dir} and what is in it, logging what cannot be deleted. */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  LOG.warn("could not delete {}: {}", p, e.toString());
                }
              });
    } catch (IOException e) {
      LOG.warn("could not clean up {}: {}", dir, e.toString());
    }
  }

  @Override
  public String toString() {
    return "ModelStore[" + root + (blobs == null ? "" : ", " + blobs.describe()) + "]";
  }
}
