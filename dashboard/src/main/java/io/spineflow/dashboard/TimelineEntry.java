package io.spineflow.dashboard;

/**
 * One event on the model timeline.
 *
 * @param kind PROMOTED or ROLLBACK (a model went live), or a training phase: STARTED, EVALUATED,
 *     REJECTED, FAILED
 * @param version the model version concerned (the candidate's for training events), or null
 * @param detail a short human-readable detail (the trainer's message, the candidate's Dice)
 */
public record TimelineEntry(
    long at, String modelName, Integer version, String kind, String detail) {}
