package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoubleTextTest {

  @ParameterizedTest
  @CsvSource({
    "1.366, 1.366",
    "1.0, 1",
    "0.0, 0",
    "-0.0, -0",
    "-1434.5, -1434.5",
    "0.30000000000000004, 0.30000000000000004",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "1.5e-300, 1.5e-300",
    "123456789, 123456789",
    "1e16, 10000000000000000",
    "1e17, 1e+17",
    "-2.5e20, -2.5e+20",
    "6.123233995736766e-17, 6.123233995736766e-17"
  })
  void printsTheShortestExactForm(double value, String expected) {
    assertThat(DoubleText.format(value)).isEqualTo(expected);
  }

  @Test
  void everyPrintedValueReadsBackToTheSameDouble() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      double value =
          switch (i % 3) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> (random.nextDouble() - 0.5) * 1000;
            default -> Math.cos(random.nextDouble() * 7);
          };
      if (!Double.isFinite(value)) {
        continue;
      }
      String text = DoubleText.format(value);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
          .as("%s printed as %s", value, text)
          .isEqualTo(Double.doubleToRawLongBits(value));
    }
  }
}
