package io.spineflow.model;

import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.blob.BlobStoreSettings;
import io.spineflow.platform.blob.BlobStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model version's files in a {@link BlobStore}, so that the trainer and inference need no shared
 * disk: {@link #publish} puts the files of a {@link ModelStore} version into the store as
 * content-addressed blobs and returns their references (what the {@code models} announcement's
 * {@code artifacts} carry); {@link #fetch} writes the blobs a host does not yet have into its local
 * {@link ModelStore} (a cache), verified, and returns the version's directory to load from.
 *
 * <p>The blob store is the source of truth; the local directory is a cache in {@link ModelStore}'s
 * layout, so {@link ModelStore#load} and the tools that read a directory work on it unchanged. A
 * fetched version is written into a hidden temporary directory and renamed in one step, like a
 * saved one, so a crash mid-fetch leaves nothing that looks like a version.
 */
public final class ModelArtifacts {
  /** The files of a version, each one blob. */
  public static final List<String> FILES =
      List.of(ModelStore.WEIGHTS_FILE, ModelStore.ARCHITECTURE_FILE, ModelStore.METADATA_FILE);

  private static final Logger LOG = LoggerFactory.getLogger(ModelArtifacts.class);

  private ModelArtifacts() {}

  /**
   * The blob store model artifacts travel through, when {@code blobstore.type} names one that is
   * not a shared file system ({@code s3}); empty for {@code file}, where the model store directory
   * ({@code model.store}) is itself on the shared volume and announcements keep its location, as
   * they always have.
   *
   * @param spoolDir where the S3 backend spools streamed puts (a local directory)
   */
  public static Optional<BlobStore> remote(Settings settings, Path spoolDir) {
    if ("file".equals(settings.string(BlobStoreSettings.TYPE))) {
      return Optional.empty();
    }
    return Optional.of(BlobStores.open(settings, spoolDir));
  }

  /**
   * Puts a stored version's files into {@code blobs} (idempotent: blobs already there are not
   * rewritten by a content-addressed store).
   *
   * @return file name → {@code sha256:<hex>}, in {@link #FILES} order
   * @throws IOException if a file cannot be read
   * @throws BlobStoreException if the store refuses or fails
   */
  public static Map<String, String> publish(BlobStore blobs, StoredModel stored)
      throws IOException {
    Map<String, String> refs = new LinkedHashMap<>();
    for (String file : FILES) {
      try (InputStream in = Files.newInputStream(stored.directory().resolve(file))) {
        refs.put(file, blobs.put(in).toString());
      }
    }
    LOG.info("published {} to {}: {}", stored.label(), blobs.describe(), refs);
    return refs;
  }

  /**
   * The local directory of version {@code version} of {@code name} in {@code cache}, fetched from
   * {@code blobs} by {@code artifacts} unless the cache has it already. Every blob is verified
   * against its reference as it is read; the weights' SHA-256 is checked again by {@link
   * ModelStore#load}.
   *
   * @param artifacts file name → {@code sha256:<hex>}, as announced; must name exactly {@link
   *     #FILES}
   * @throws ModelRejectedException {@code MISSING_FILE} when the announcement lacks a file or the
   *     store a blob, {@code CHECKSUM_MISMATCH} when a blob does not hash to its reference or the
   *     reference is malformed; nothing is left in the cache
   */
  public static Path fetch(
      BlobStore blobs, Map<String, String> artifacts, ModelStore cache, String name, int version)
      throws ModelRejectedException {
    Objects.requireNonNull(artifacts, "artifacts");
    Path target = cache.directory(name, version);
    String label = name + "/v" + version;
    Map<String, BlobRef> refs = refs(artifacts, label);
    if (Files.isDirectory(target)) {
      if (matches(target, refs)) {
        return target;
      }
      // A version number reused for other bytes (a trainer whose local store was lost published
      // again before its announcement was committed): the bucket is the truth, the cache is stale.
      LOG.warn(
          "{}: the cached copy in {} differs from the announced blobs; fetching", label, target);
      Path stale = target.resolveSibling(".stale-v" + version + "-" + System.nanoTime());
      try {
        Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new ModelRejectedException(
            ModelRejectedException.Reason.CHECKSUM_MISMATCH,
            label + ": stale cached copy in " + target + " cannot be replaced: " + e,
            e);
      }
      ModelStore.deleteRecursively(stale);
    }
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempDirectory(target.getParent(), ".fetch-v" + version + "-");
      for (Map.Entry<String, BlobRef> e : refs.entrySet()) {
        copy(blobs, e.getValue(), temp.resolve(e.getKey()), label, e.getKey());
      }
      moveIntoPlace(temp, target);
      LOG.info("fetched {} from {} into {}", label, blobs.describe(), target);
      return target;
    } catch (IOException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE,
          label + ": cannot write the local copy in " + target.getParent() + ": " + e,
          e);
    } finally {
      if (temp != null) {
        ModelStore.deleteRecursively(temp);
      }
    }
  }

  /** Whether every file in {@code dir} hashes to its reference. */
  private static boolean matches(Path dir, Map<String, BlobRef> refs) {
    for (Map.Entry<String, BlobRef> e : refs.entrySet()) {
      try (InputStream in = Files.newInputStream(dir.resolve(e.getKey()))) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(e.getValue().sha256())) {
          return false;
        }
      } catch (IOException | NoSuchAlgorithmException ex) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, BlobRef> refs(Map<String, String> artifacts, String label)
      throws ModelRejectedException {
    Map<String, BlobRef> refs = new LinkedHashMap<>();
    for (String file : FILES) {
      String text = artifacts.get(file);
      if (text == null) {
        throw new ModelRejectedException(
            ModelRejectedException.Reason.MISSING_FILE,
            label + ": artifacts has no reference for " + file);
      }
      try {
        refs.put(file, BlobRef.parse(text));
      } catch (IllegalArgumentException e) {
        throw new ModelRejectedException(
            ModelRejectedException.Reason.CHECKSUM_MISMATCH,
            label + ": artifacts[" + file + "]: " + e.getMessage(),
            e);
      }
    }
    if (!refs.keySet().containsAll(artifacts.keySet())) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE,
          label + ": artifacts names " + artifacts.keySet() + ", expected exactly " + FILES);
    }
    return refs;
  }

  private static void copy(BlobStore blobs, BlobRef ref, Path to, String label, String file)
      throws IOException, ModelRejectedException {
    try (InputStream in = blobs.open(ref);
        OutputStream out = Files.newOutputStream(to)) {
      // The stream verifies the SHA-256 on the read that reaches the end.
      in.transferTo(out);
    } catch (io.spineflow.platform.blob.BlobNotFoundException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE,
          label + ": " + file + " (" + ref + ") is not in " + blobs.describe(),
          e);
    } catch (io.spineflow.platform.blob.BlobCorruptException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.CHECKSUM_MISMATCH,
          label + ": " + file + " read from " + blobs.describe() + " does not hash to " + ref,
          e);
    } catch (BlobStoreException e) {
      throw new ModelRejectedException(
          ModelRejectedException.Reason.MISSING_FILE,
          label + ": cannot read " + file + " (" + ref + ") from " + blobs.describe() + ": " + e,
          e);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException
        | java.nio.file.DirectoryNotEmptyException e) {
      // Another fetcher of the same immutable version got there first: its copy is as good.
      LOG.debug("{} appeared while fetching it", target);
    }
  }
}
