package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  void printsALinePerStepOffATerminal() {
    StringWriter text = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ConsoleProgress bar =
        new ConsoleProgress(new PrintWriter(text), "evaluate", "studies", 4, false, clock::get);

    clock.set(75_000_000_000L);
    bar.step("IVD_25");
    bar.step("IVD_42");

    assertThat(text.toString().lines())
        .containsExactly(
            "evaluate [######------------------] 1/4 studies 1:15 IVD_25",
            "evaluate [############------------] 2/4 studies 1:15 IVD_42");
    assertThat(bar.done()).isEqualTo(2);
  }

  @Test
  void redrawsOneLineOnATerminalAndEndsItWhenDone() {
    StringWriter text = new StringWriter();
    ConsoleProgress bar =
        new ConsoleProgress(new PrintWriter(text), "train", "epochs", 2, true, () -> 0L);

    bar.step("a");
    bar.step("b");
    bar.step("past the end");

    assertThat(text.toString()).startsWith("\rtrain [############------------] 1/2 epochs 0:00 a");
    assertThat(text.toString()).contains("\rtrain [########################] 2/2 epochs 0:00 b");
    assertThat(bar.done()).isEqualTo(2);
  }

  @Test
  void aLongLoopOffATerminalPrintsATenthAtATimeAndTheEnd() {
    StringWriter text = new StringWriter();
    ConsoleProgress bar =
        new ConsoleProgress(new PrintWriter(text), "epoch 1/2", "steps", 105, false, () -> 0L);

    for (int i = 0; i < 105; i++) {
      bar.step("s" + i);
    }

    // Every 10th of 105 steps (10, 20, ... 100) and the last one.
    assertThat(text.toString().lines()).hasSize(11);
    assertThat(text.toString().lines().toList().get(10)).contains("105/105 steps");
  }
}
