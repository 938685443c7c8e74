package io.spineflow.platform;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A service instance's stable id, found without configuration, for ids Kafka fences by ({@code
 * transactional.id}, static {@code group.instance.id}): a restarted instance must come back with
 * the same id, so it fences its predecessor's open transaction at once (a fresh id would leave that
 * transaction open until {@code transaction.timeout.ms}, stalling read_committed readers), and two
 * live instances must never share one (they would fence each other in turn).
 *
 * <ol>
 *   <li>the setting, when given, wins;
 *   <li>else a StatefulSet-style host name ({@code HOSTNAME}, e.g. {@code inference-2}: a DNS label
 *       ending in {@code -<ordinal>}), stable across a pod's restarts. The whole name, not only the
 *       ordinal: two StatefulSets (a GPU and a CPU pool) or hosts {@code gpu-1} and {@code cpu-1}
 *       in one group would otherwise share an id;
 *   <li>else an id kept in the service's data directory ({@code instance.id}, a random UUID made on
 *       first start and reused, as Kafka Streams keeps its process id in its state directory),
 *       guarded by a lock on {@code instance.lock} held while the service runs: a second live
 *       instance on the same directory fails at start with one line naming {@code data.dir}.
 * </ol>
 *
 * Close it when the service stops, to release the lock (the OS releases it if the process dies).
 */
public final class InstanceIdentity implements AutoCloseable {
  /** A DNS label (what a pod's host name is) ending in {@code -<ordinal>}. */
  private static final Pattern ORDINAL_HOST =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?-[0-9]{1,9}");

  /** Where the id came from, for {@code /health} and the start-up log. */
  public enum Source {
    SETTING,
    HOST_NAME,
    DATA_DIR
  }

  private final String id;
  private final Source source;
  private final FileChannel lockChannel;

  private InstanceIdentity(String id, Source source, FileChannel lockChannel) {
    this.id = id;
    this.source = source;
    this.lockChannel = lockChannel;
  }

  /**
   * @param configured the setting's value, "" when unset
   * @param hostName the {@code HOSTNAME} environment variable, or null
   * @param dir the service's own data directory (created if need be)
   * @throws ConfigException naming {@code data.dir} when another live instance holds {@code dir},
   *     or it cannot be written
   */
  public static InstanceIdentity resolve(String configured, String hostName, Path dir) {
    if (!configured.isBlank()) {
      return new InstanceIdentity(configured.trim(), Source.SETTING, null);
    }
    if (hostName != null && ORDINAL_HOST.matcher(hostName).matches()) {
      return new InstanceIdentity(hostName, Source.HOST_NAME, null);
    }
    FileChannel lock = lock(dir);
    try {
      return new InstanceIdentity(persistedId(dir), Source.DATA_DIR, lock);
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  /** Whether {@code hostName} is a StatefulSet-style name the id is taken from. */
  static boolean isOrdinalHostName(String hostName) {
    return ORDINAL_HOST.matcher(hostName).matches();
  }

  public String id() {
    return id;
  }

  public Source source() {
    return source;
  }

  /** Releases the data directory's lock, if this id holds one. */
  @Override
  public void close() {
    closeQuietly(lockChannel);
  }

  private static FileChannel lock(Path dir) {
    Path file = dir.resolve("instance.lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return channel;
      }
    } catch (OverlappingFileLockException e) {
      // Held by another instance in this JVM: the same conflict.
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException(
          CommonSettings.DATA_DIR.name(), "cannot lock " + file + " for the instance id: " + e);
    }
    closeQuietly(channel);
    throw new ConfigException(
        CommonSettings.DATA_DIR.name(),
        dir
            + " is in use by another running instance (it holds "
            + file.getFileName()
            + "); give each instance its own data directory");
  }

  /** Reads the kept id, or makes one (written whole or not at all) on first start. */
  private static String persistedId(Path dir) {
    Path file = dir.resolve("instance.id");
    try {
      if (Files.exists(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!kept.isEmpty()) {
          return kept;
        }
      }
      String id = UUID.randomUUID().toString();
      Path tmp = dir.resolve("instance.id.tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return id;
    } catch (IOException e) {
      throw new ConfigException(
          CommonSettings.DATA_DIR.name(), "cannot keep the instance id in " + file + ": " + e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing releases the lock; nothing more to do.
      }
    }
  }
}
