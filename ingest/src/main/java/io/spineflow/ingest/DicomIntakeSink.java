package io.spineflow.ingest;

import io.spineflow.imaging.dicom.DicomInstanceSink;
import java.nio.file.Path;

/**
 * Ingest's view of the DICOM sink: {@link DicomInstanceSink} plus the folder door's variant whose
 * rejected file stays in {@code failed/} instead of the quarantine. {@link DicomIntake} implements
 * it, and {@link DeidentifyingIntake} decorates it, so every door goes through the same chain.
 */
interface DicomIntakeSink extends DicomInstanceSink {
  /** As the door contract says; ingest's sinks never wait interruptibly. */
  @Override
  Outcome store(ReceivedInstance instance);

  /**
   * As {@link #store(ReceivedInstance)}.
   *
   * @param kept where a rejected instance's file will be (the folder's {@code failed/}), or null to
   *     keep its bytes in the quarantine
   */
  Outcome store(ReceivedInstance instance, Path kept);
}
