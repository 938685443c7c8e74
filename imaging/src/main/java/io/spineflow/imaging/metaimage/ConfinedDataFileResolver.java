package io.spineflow.imaging.metaimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@link DataFileResolver#confinedTo(Path)}: data files must stay inside one directory. */
final class ConfinedDataFileResolver implements DataFileResolver {
  private static final String KEY = HeaderScanner.DATA_FILE_KEY;
  // Refused on every platform, so a header written on Windows is judged the same on Linux.
  private static final Pattern ABSOLUTE = Pattern.compile("^([/\\\\]|[A-Za-z]:).*");

  private final Path directory;

  ConfinedDataFileResolver(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  @Override
  public Path resolve(String name) throws IOException {
    if (ABSOLUTE.matcher(name).matches()) {
      throw outside(name, "is an absolute path; a name relative to the header expected");
    }
    Path candidate;
    try {
      candidate = directory.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw FieldValues.invalid(
          KEY, KEY + ": '" + HeaderScanner.abbreviate(name) + "' is not a valid file name");
    }
    if (!candidate.startsWith(directory)) {
      throw outside(name, "leaves the header's directory");
    }
    if (!Files.exists(candidate)) {
      throw new MetaImageException(
          ReasonCode.DATA_FILE_NOT_FOUND,
          KEY,
          KEY + ": '" + HeaderScanner.abbreviate(name) + "' does not exist next to the header");
    }
    // Checked after resolving links: a link inside the directory may point anywhere.
    Path real = candidate.toRealPath();
    if (!real.startsWith(directory.toRealPath())) {
      throw outside(name, "leads out of the header's directory through a symbolic link");
    }
    if (!Files.isRegularFile(real)) {
      throw new MetaImageException(
          ReasonCode.DATA_FILE_NOT_FOUND,
          KEY,
          KEY + ": '" + HeaderScanner.abbreviate(name) + "' is not a regular file");
    }
    return real;
  }

  private static MetaImageException outside(String name, String why) {
    return new MetaImageException(
        ReasonCode.DATA_FILE_OUTSIDE_DIRECTORY,
        KEY,
        KEY + ": '" + HeaderScanner.abbreviate(name) + "' " + why);
  }
}
