/**
 * Rendering of {@code refit prepare}'s job events: JSON lines for pipes and {@code --output json},
 * per-image progress bars on a terminal. Renderers run on the thread that drains the event
 * queue, never on an event loop.
 */
package dev.refit.pipeline.progress;
