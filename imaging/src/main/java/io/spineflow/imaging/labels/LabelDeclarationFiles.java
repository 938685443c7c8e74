package io.spineflow.imaging.labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Label declarations kept in files beside the studies, the same at every file-based door (the
 * watched folder, {@code push}, {@code demo --data}, {@code train --data}, {@code evaluate}):
 *
 * <ul>
 *   <li>a <b>sidecar</b> {@code NAME.labels} beside {@code NAME.mha}: lines {@code classes: discs}
 *       and {@code extent: labelled-span} ({@code key: value} or {@code key=value}; {@code #}
 *       comments);
 *   <li>a <b>manifest</b> {@code manifest.tsv} in the folder: tab-separated, a header row naming at
 *       least {@code name} and {@code labelled} (the classes), optionally {@code extent} and {@code
 *       sequence}; one row per study, {@code name} being the file name without {@code .mha}. This
 *       is the shared real set's format.
 * </ul>
 *
 * A sidecar wins over the manifest; with neither a study's label is complete.
 */
public final class LabelDeclarationFiles {
  /** The sidecar's suffix, replacing {@code .mha}/{@code .mhd}. */
  public static final String SIDECAR_SUFFIX = ".labels";

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.tsv";

  // A sidecar or manifest is a few lines; anything larger is not one.
  private static final long MAX_FILE_BYTES = 1 << 20;

  private LabelDeclarationFiles() {}

  /**
   * One manifest row.
   *
   * @param name study name (file name without extension)
   * @param coverage its declared label coverage
   * @param sequence the {@code sequence} column, empty when absent or blank
   */
  public record ManifestEntry(String name, LabelCoverage coverage, Optional<String> sequence) {}

  /** The sidecar of {@code image} ({@code NAME.labels} beside {@code NAME.mha}). */
  public static Path sidecarOf(Path image) {
    String name = image.getFileName().toString().replaceFirst("(?i)(\\.mask)?\\.(mha|mhd)$", "");
    return image.resolveSibling(name + SIDECAR_SUFFIX);
  }

  /**
   * The declaration for {@code image}: its sidecar, else its manifest row (the manifest in the
   * image's folder or, for SPIDER's {@code images/} layout, the folder above), else empty.
   *
   * @throws IllegalArgumentException for a malformed sidecar or manifest, naming file and line
   */
  public static Optional<LabelCoverage> declarationFor(Path image) throws IOException {
    Path sidecar = sidecarOf(image);
    if (Files.isRegularFile(sidecar)) {
      return Optional.of(readSidecar(sidecar));
    }
    String name = sidecar.getFileName().toString();
    name = name.substring(0, name.length() - SIDECAR_SUFFIX.length());
    Path folder = image.toAbsolutePath().getParent();
    for (Path dir : List.of(folder, folder.getParent() == null ? folder : folder.getParent())) {
      Path manifest = dir.resolve(MANIFEST);
      if (Files.isRegularFile(manifest)) {
        ManifestEntry entry = readManifest(manifest).get(name);
        if (entry != null) {
          return Optional.of(entry.coverage());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a sidecar.
   *
   * @throws IllegalArgumentException naming the file, the line and what is accepted
   */
  public static LabelCoverage readSidecar(Path sidecar) throws IOException {
    Map<String, String> values = new HashMap<>();
    List<String> lines = readSmall(sidecar);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*$", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      int split = line.indexOf(':') >= 0 ? line.indexOf(':') : line.indexOf('=');
      String key = split < 0 ? "" : line.substring(0, split).trim().toLowerCase(Locale.ROOT);
      if (!key.equals("classes") && !key.equals("extent")) {
        throw new IllegalArgumentException(
            sidecar.getFileName()
                + " line "
                + (i + 1)
                + ": expected 'classes: ...' or 'extent: ...'");
      }
      values.put(key, line.substring(split + 1).trim());
    }
    return parse(sidecar.getFileName() + " ", values.get("classes"), values.get("extent"));
  }

  /**
   * Reads a manifest, keyed by name, in file order.
   *
   * @throws IllegalArgumentException naming the file, the line and what is wrong
   */
  public static Map<String, ManifestEntry> readManifest(Path manifest) throws IOException {
    List<String> lines = readSmall(manifest);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(manifest.getFileName() + ": empty, no header row");
    }
    List<String> header =
        Arrays.stream(lines.get(0).split("\t"))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .toList();
    int name = header.indexOf("name");
    int labelled = header.indexOf("labelled");
    if (name < 0 || labelled < 0) {
      throw new IllegalArgumentException(
          manifest.getFileName() + " line 1: the header must name 'name' and 'labelled' columns");
    }
    int extent = header.indexOf("extent");
    int sequence = header.indexOf("sequence");
    Map<String, ManifestEntry> entries = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank() || lines.get(i).startsWith("#")) {
        continue;
      }
      String[] cells = lines.get(i).split("\t", -1);
      String where = manifest.getFileName() + " line " + (i + 1) + " ";
      LabelCoverage coverage = parse(where, cell(cells, labelled), cell(cells, extent));
      String study = cell(cells, name).trim();
      String seq = cell(cells, sequence).trim();
      entries.put(
          study, new ManifestEntry(study, coverage, Optional.of(seq).filter(s -> !s.isEmpty())));
    }
    return entries;
  }

  private static LabelCoverage parse(String where, String classes, String extent) {
    try {
      return LabelCoverage.parse(classes, extent);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static String cell(String[] cells, int index) {
    return index >= 0 && index < cells.length ? cells[index] : "";
  }

  private static List<String> readSmall(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          file.getFileName() + ": larger than " + MAX_FILE_BYTES + " bytes");
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
