package io.spineflow.ingest;

import io.spineflow.imaging.dicom.Deidentifier;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.platform.LogSafe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest.dicom.deidentify} decorator of the DICOM intake: every instance, whatever its
 * door, is de-identified ({@link Deidentifier}) before the intake checks, stores or publishes it,
 * so {@code studies.upload}, the {@code dicom-instances} store, the quarantine and every event only
 * ever see the pseudonymised instance. The mapping of originals to pseudonyms is appended to the
 * operator's file first, when one is configured. An instance that cannot be de-identified (implicit
 * VR, big endian, unreadable) is refused and dead-lettered by the intake without its original UIDs;
 * its bytes stay in the local quarantine (or the folder's {@code failed/}) for the operator.
 * Thread-safe.
 */
final class DeidentifyingIntake implements DicomIntakeSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeidentifyingIntake.class);

  private final DicomIntake intake;
  private final Deidentifier deidentifier;
  private final PseudonymMap map;

  DeidentifyingIntake(DicomIntake intake, DicomReader reader, DeidentificationConfig config) {
    this.intake = intake;
    this.deidentifier = new Deidentifier(config.secret(), reader);
    this.map = config.pseudonymMap() == null ? null : new PseudonymMap(config.pseudonymMap());
  }

  /** {@code intake} itself when {@code config} is null (de-identification off), else decorated. */
  static DicomIntakeSink wrap(
      DicomIntake intake, DicomReader reader, DeidentificationConfig config) {
    return config == null ? intake : new DeidentifyingIntake(intake, reader, config);
  }

  @Override
  public Outcome store(ReceivedInstance instance) {
    return store(instance, null);
  }

  @Override
  public Outcome store(ReceivedInstance instance, Path kept) {
    Deidentifier.Result result;
    try {
      result = deidentifier.deidentify(instance.part10());
    } catch (DicomException e) {
      return intake.refuseUnread(instance, DicomInstances.rejectionOf(e), kept);
    } catch (RuntimeException e) {
      // A de-identifier bug must not stop ingest, nor let the original through: refused, kept
      // locally, and only the exception's type and place logged (its message may quote values).
      LOG.warn(
          "de-identification failed unexpectedly: {} at {}",
          e.getClass().getName(),
          e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "unknown");
      return intake.refuseUnread(
          instance,
          Rejection.of(
              IngestReason.UNREADABLE_IMAGE,
              null,
              null,
              "the instance could not be de-identified (" + e.getClass().getSimpleName() + ")"),
          kept);
    }
    if (map != null) {
      try {
        map.append(result.pseudonyms());
      } catch (IOException e) {
        LOG.warn(
            "{} instance not taken: the pseudonym map {} cannot be written ({})",
            instance.door().name().toLowerCase(Locale.ROOT),
            LogSafe.id(map.file().getFileName().toString()),
            LogSafe.text(e.getClass().getSimpleName()));
        return Outcome.unavailable("the pseudonym mapping could not be kept; retry later");
      }
    }
    return intake.store(
        new ReceivedInstance(result.bytes(), instance.door(), instance.sender()), kept);
  }

  @Override
  public void batchEnded(ReceivedInstance.Door door, String sender) {
    intake.batchEnded(door, sender);
  }
}
