package io.spineflow.dashboard;

import io.spineflow.events.DeadLetter;

/**
 * A dead letter as the page lists it. The message is cut to {@value #MAX_MESSAGE} characters; all
 * text is the sender's and is rendered as text, never as markup.
 */
public record DeadLetterView(
    String key,
    long at,
    String reasonCode,
    String stage,
    String field,
    String limit,
    String message,
    String studyUid,
    String originalLocation) {

  /** Longest message kept. */
  public static final int MAX_MESSAGE = 500;

  public static DeadLetterView of(String key, DeadLetter d) {
    return new DeadLetterView(
        key,
        d.getAt().toEpochMilli(),
        d.getReasonCode(),
        d.getStage(),
        d.getField(),
        d.getLimit(),
        cut(d.getMessage()),
        d.getStudyUid(),
        d.getOriginalLocation());
  }

  static String cut(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
