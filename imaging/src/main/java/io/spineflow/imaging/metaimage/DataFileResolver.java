package io.spineflow.imaging.metaimage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Finds the detached data file that a header's {@code ElementDataFile} names (an {@code .mhd} with
 * its {@code .raw}/{@code .zraw}). Implementations decide which files a header may reach, so a
 * hostile header cannot make the reader open arbitrary files.
 */
@FunctionalInterface
public interface DataFileResolver {

  /**
   * @param elementDataFile the header's {@code ElementDataFile} value (never {@code LOCAL})
   * @return the data file to read; never null
   * @throws MetaImageException when the name may not or cannot be resolved, e.g. {@link
   *     ReasonCode#DATA_FILE_OUTSIDE_DIRECTORY} or {@link ReasonCode#DATA_FILE_NOT_FOUND}
   */
  Path resolve(String elementDataFile) throws IOException;

  /**
   * Resolves names relative to {@code directory} and only inside it: absolute names, {@code ..}
   * that climbs out, and symbolic links that lead out are refused. What {@link
   * MetaImageReader#read(Path)} uses with the header's own directory.
   */
  static DataFileResolver confinedTo(Path directory) {
    return new ConfinedDataFileResolver(directory);
  }

  /**
   * For headers that arrive as bytes with no directory (e.g. a Kafka record): every detached data
   * file is refused with {@link ReasonCode#DATA_FILE_UNRESOLVABLE}.
   */
  static DataFileResolver none() {
    return name -> {
      throw new MetaImageException(
          ReasonCode.DATA_FILE_UNRESOLVABLE,
          HeaderScanner.DATA_FILE_KEY,
          HeaderScanner.DATA_FILE_KEY
              + ": '"
              + HeaderScanner.abbreviate(name)
              + "' is a detached data file, but the header was read from bytes with no directory;"
              + " LOCAL (inline .mha) data expected");
    };
  }
}
