package io.spineflow.platform.deadletter;

/**
 * Thrown by code that checks an event and finds it poisonous; carries the {@link Poison} so the
 * catcher (a processor, a loop, or {@link DeadLetterProcessingHandler}) dead-letters it with the
 * field and the limit rather than as an unforeseen failure.
 */
public final class PoisonException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Poison poison;

  public PoisonException(Poison poison) {
    super(poison.reasonCode() + " " + poison.field() + ": " + poison.limit());
    this.poison = poison;
  }

  public Poison poison() {
    return poison;
  }
}
