package io.spineflow.trainer;

import io.spineflow.events.RetrainRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bookkeeping that makes every retrain request count exactly once: pending requests by
 * partition and offset on {@code retrain} (one partition by default), the ids already honoured, and
 * the offset that may be committed.
 *
 * <p>A request is <em>honoured</em> when a training run that started after it arrived has ended and
 * its outcome was published. Requests that arrive while a run is in progress stay pending and are
 * coalesced into the next run. The committable offset never passes a pending request, so one that
 * was read but not yet honoured is read again after a crash. Honoured ids are also remembered (in
 * memory and, with {@link #load}/{@link #save}, in a file), so a request sent twice with the same
 * id, or read again after a crash between publishing and committing, is not honoured twice.
 *
 * <p>Not thread-safe: one thread (the trainer's coordinator) owns it.
 */
final class RetrainRequests {
  /** Honoured ids remembered; older ones are forgotten first. */
  static final int REMEMBERED = 10_000;

  /** A pending request's place on the topic. */
  private record Position(int partition, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Integer.compare(partition, o.partition);
      return c != 0 ? c : Long.compare(offset, o.offset);
    }
  }

  private final TreeMap<Position, RetrainRequest> pending = new TreeMap<>();
  private final Map<String, Position> pendingIds = new LinkedHashMap<>();
  private final LinkedHashSet<String> honoured = new LinkedHashSet<>();
  private final Map<Integer, Long> nextOffsets = new TreeMap<>();

  /**
   * Takes a record from {@code retrain}.
   *
   * @param partition its partition
   * @param offset its offset
   * @param request the request, or null for a record that is not for this trainer (it is skipped)
   * @return whether the request became pending (false for duplicates and skipped records)
   */
  boolean offer(int partition, long offset, RetrainRequest request) {
    nextOffsets.merge(partition, offset + 1, Math::max);
    if (request == null) {
      return false;
    }
    String id = request.getRequestId();
    if (honoured.contains(id) || pendingIds.containsKey(id)) {
      return false;
    }
    Position at = new Position(partition, offset);
    pending.put(at, request);
    pendingIds.put(id, at);
    return true;
  }

  /**
   * Forgets what is pending and every position read (the honoured ids stay): this trainer lost the
   * active role, and the one that took it over reads the requests again from the committed offset.
   */
  void forgetPending() {
    pending.clear();
    pendingIds.clear();
    nextOffsets.clear();
  }

  /** The pending requests, in arrival order. */
  List<RetrainRequest> pending() {
    return new ArrayList<>(pending.values());
  }

  /** Whether any request is pending. */
  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** The ids of the pending requests, in arrival order. */
  List<String> pendingIds() {
    return new ArrayList<>(pendingIds.keySet());
  }

  /** Marks these requests honoured (ids not pending are ignored). */
  void honour(Collection<String> ids) {
    for (String id : ids) {
      Position at = pendingIds.remove(id);
      if (at != null) {
        pending.remove(at);
        remember(id);
      }
    }
  }

  /** Whether {@code id} was honoured (and is still remembered). */
  boolean isHonoured(String id) {
    return honoured.contains(id);
  }

  /**
   * The offsets to commit, by partition: each partition's first pending request, else the offset
   * after its last record read. Partitions not read from are absent.
   */
  Map<Integer, Long> committableOffsets() {
    return committableOffsetsAfter(List.of());
  }

  /** {@link #committableOffsets()} as it will be once {@code ids} are honoured (no change made). */
  Map<Integer, Long> committableOffsetsAfter(Collection<String> ids) {
    return committableOffsetsAfter(ids, Map.of());
  }

  /**
   * {@link #committableOffsetsAfter(Collection)}, where a partition with nothing pending commits
   * the consumer's {@code positions} (which are past the transaction markers and any record after
   * the last one offered), so a group that is idle has lag 0.
   *
   * @param positions the consumer's position per partition
   */
  Map<Integer, Long> committableOffsetsAfter(Collection<String> ids, Map<Integer, Long> positions) {
    Map<Integer, Long> out = new TreeMap<>(nextOffsets);
    positions.forEach((partition, position) -> out.merge(partition, position, Math::max));
    for (Map.Entry<Position, RetrainRequest> e : pending.entrySet()) {
      if (ids.contains(e.getValue().getRequestId())) {
        continue;
      }
      out.merge(e.getKey().partition(), e.getKey().offset(), Math::min);
    }
    return out;
  }

  /** Loads remembered honoured ids (one per line) from {@code file}, if it exists. */
  void load(Path file) throws IOException {
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          remember(line.trim());
        }
      }
    }
  }

  /** Saves the remembered honoured ids to {@code file}, atomically. */
  void save(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.getParent());
    Files.write(
        temp,
        honoured,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Ids remembered as honoured (oldest first). */
  Set<String> honoured() {
    return java.util.Collections.unmodifiableSet(honoured);
  }

  private void remember(String id) {
    honoured.remove(id);
    honoured.add(id);
    while (honoured.size() > REMEMBERED) {
      String oldest = honoured.iterator().next();
      honoured.remove(oldest);
    }
  }
}
