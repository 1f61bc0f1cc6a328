package dev.refit.pipeline.diff;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One image config field that differs, e.g. {@code Env}, with each side's value as JSON (null
 * when the side does not set it). Immutable.
 */
public record ConfigDiff(String field, JsonNode a, JsonNode b) {}
