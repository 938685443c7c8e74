package io.spineflow.imaging.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the Upper Layer PDU parser and the DIMSE command parser (issue #18)
 * with Jazzer: whatever the bytes, {@link PduCodec} and {@link DimseCommand} either return a value
 * or throw a {@link PduException} with a reason and a message; any other exception or error is a
 * finding. A PDU that decodes must encode and decode to the same PDU type. Seeds are in {@code
 * PduCodecFuzzTestInputs/readsOrRefusesWithAReason}.
 */
class PduCodecFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void readsOrRefusesWithAReason(byte @WithLength(max = 4096) [] input) {
    readOrRefuse(input);
  }

  /** The contract, shared with the seeded random test in {@link PduCodecTest}. */
  static void readOrRefuse(byte[] input) {
    try {
      Pdu pdu = PduCodec.read(new ByteArrayInputStream(input), 2048);
      if (pdu != null) {
        Pdu again = PduCodec.decode(PduCodec.encode(pdu));
        assertThat(again.getClass()).isEqualTo(pdu.getClass());
        if (pdu instanceof Pdu.PData data) {
          for (Pdu.Pdv pdv : data.pdvs()) {
            commandOrRefusal(pdv.data());
          }
        }
      }
    } catch (PduException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
    } catch (IOException e) {
      throw new AssertionError("not a PduException: " + e, e);
    }
    commandOrRefusal(input);
  }

  private static void commandOrRefusal(byte[] bytes) {
    try {
      DimseCommand command = DimseCommand.decode(bytes);
      command.affectedSopClassUid();
      command.affectedSopInstanceUid();
      command.errorComment();
      DimseCommand.decode(DimseCommand.response(command, 0).encode());
    } catch (PduException e) {
      assertThat(e.reason()).isEqualTo(PduReason.MALFORMED_DIMSE);
    }
  }
}
