package io.spineflow.cli.studies;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelDeclarationFiles;
import io.spineflow.platform.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds labelled studies in a folder, in either layout every file-based door accepts:
 *
 * <ul>
 *   <li>SPIDER's: {@code images/NAME.mha} + {@code masks/NAME.mha};
 *   <li>flat: {@code NAME.mha} + {@code NAME.mask.mha}.
 * </ul>
 *
 * Each study's label coverage comes from {@link LabelDeclarationFiles#declarationFor} (sidecar
 * {@code NAME.labels}, else the folder's {@code manifest.tsv}, else complete); its set and sequence
 * from the manifest's {@code set} and {@code sequence} columns when present. Images without a mask
 * are skipped: they are not labelled studies.
 */
public final class LabelledStudyFiles {
  /** The set of studies a manifest gives none. */
  public static final String ALL_SETS = "all";

  /** The sequence of studies whose manifest row and name say nothing. */
  public static final String UNKNOWN_SEQUENCE = "UNKNOWN";

  private LabelledStudyFiles() {}

  /**
   * Every labelled study in the folder an option names, refusing what the operator must fix: a
   * missing folder, a malformed declaration, a folder without labelled studies.
   *
   * @param option the option that gave {@code dir}, e.g. {@code --data}
   * @throws ConfigException naming {@code option}
   */
  public static List<LabelledStudyFile> require(Path dir, String option) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(
          option,
          dir.toAbsolutePath().normalize() + ": no such directory (give " + option + " DIR)");
    }
    List<LabelledStudyFile> studies;
    try {
      studies = find(dir);
    } catch (IllegalArgumentException malformedDeclaration) {
      throw new ConfigException(option, malformedDeclaration.getMessage());
    }
    if (studies.isEmpty()) {
      throw new ConfigException(option, dir + " holds no labelled .mha studies");
    }
    return studies;
  }

  /**
   * Every labelled study in {@code dir}, sorted by name.
   *
   * @throws IllegalArgumentException for a malformed sidecar or manifest, naming file and line
   */
  public static List<LabelledStudyFile> find(Path dir) throws IOException {
    boolean spider = Files.isDirectory(dir.resolve("images"));
    Path images = spider ? dir.resolve("images") : dir;
    Map<String, String> sets = manifestColumn(dir, images, "set");
    Map<String, String> sequences = manifestColumn(dir, images, "sequence");
    List<LabelledStudyFile> studies = new ArrayList<>();
    try (Stream<Path> files = Files.list(images)) {
      for (Path image : files.sorted().toList()) {
        String file = image.getFileName().toString();
        if (!file.endsWith(".mha") || file.endsWith(".mask.mha") || !Files.isRegularFile(image)) {
          continue;
        }
        String name = file.substring(0, file.length() - ".mha".length());
        Path mask = spider ? dir.resolve("masks").resolve(file) : dir.resolve(name + ".mask.mha");
        if (!Files.isRegularFile(mask)) {
          continue;
        }
        LabelCoverage coverage =
            LabelDeclarationFiles.declarationFor(image).orElse(LabelCoverage.COMPLETE);
        String sequence =
            Optional.ofNullable(sequences.get(name))
                .map(s -> s.toUpperCase(Locale.ROOT))
                .orElseGet(() -> sequenceOf(name));
        studies.add(
            new LabelledStudyFile(
                name, image, mask, coverage, sets.getOrDefault(name, ALL_SETS), sequence));
      }
    }
    return List.copyOf(studies);
  }

  /** SPIDER names end in {@code _t1}, {@code _t2} or {@code _t2_SPACE}. */
  public static String sequenceOf(String name) {
    String stem = name.toLowerCase(Locale.ROOT);
    for (Sequence s : Sequence.values()) {
      if (stem.endsWith("_" + s.suffix().toLowerCase(Locale.ROOT))) {
        return s.name();
      }
    }
    return UNKNOWN_SEQUENCE;
  }

  /**
   * One column of the manifest (in the images folder, else the folder above it) by study name;
   * empty when there is no manifest or no such column, blank cells left out.
   */
  private static Map<String, String> manifestColumn(Path dir, Path images, String column)
      throws IOException {
    for (Path folder : List.of(images, dir)) {
      Path manifest = folder.resolve(LabelDeclarationFiles.MANIFEST);
      if (Files.isRegularFile(manifest)) {
        // LabelDeclarationFiles validates the manifest (and names a malformed line); it keeps
        // only the columns a declaration needs, so the set column is read here.
        LabelDeclarationFiles.readManifest(manifest);
        return column(Files.readAllLines(manifest, StandardCharsets.UTF_8), column);
      }
    }
    return Map.of();
  }

  private static Map<String, String> column(List<String> lines, String column) {
    List<String> header =
        Arrays.stream(lines.get(0).split("\t"))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .toList();
    int name = header.indexOf("name");
    int wanted = header.indexOf(column);
    Map<String, String> values = new HashMap<>();
    if (wanted < 0) {
      return values;
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t", -1);
      if (line.isBlank() || line.startsWith("#") || cells.length <= Math.max(name, wanted)) {
        continue;
      }
      if (!cells[wanted].isBlank()) {
        values.put(cells[name].trim(), cells[wanted].trim());
      }
    }
    return values;
  }
}
