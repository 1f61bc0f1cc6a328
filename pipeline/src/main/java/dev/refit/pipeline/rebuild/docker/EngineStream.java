package dev.refit.pipeline.rebuild.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects one engine progress stream (build or push): forwards each item as a line to the
 * listener and keeps the error items, the built image id and the pushed digest. Thread-safe:
 * docker-java delivers items on its own thread while the rebuilder waits.
 *
 * <p>Why not docker-java's adapters: the Engine API reports a failed push (and some build
 * failures) as an {@code errorDetail} item in an HTTP 200 stream, and
 * {@code ResultCallback.Adapter} completes normally then; the errors must be read off the items.
 */
final class EngineStream<T extends ResponseItem> extends ResultCallback.Adapter<T> {

  private static final Pattern STEP = Pattern.compile("^ ---> ([0-9a-f]{12})\\s*$");

  private final String service;
  private final ProgressListener.Phase phase;
  private final ProgressListener listener;
  private final List<String> errors = new ArrayList<>();
  private String imageId;
  /** Image ids the classic builder committed step by step (" ---> 0123456789ab" lines), in order. */
  private final List<String> steps = new ArrayList<>();
  private String digest;
  private RuntimeException listenerFailure;

  EngineStream(String service, ProgressListener.Phase phase, ProgressListener listener) {
    this.service = service;
    this.phase = phase;
    this.listener = listener;
  }

  @Override
  public void onNext(T item) {
    synchronized (this) {
      if (item.isErrorIndicated()) {
        errors.add(errorOf(item));
      }
      if (item.getStream() != null) {
        Matcher step = STEP.matcher(item.getStream());
        if (step.find()) {
          steps.add(step.group(1));
        }
      }
      if (item.getAux() != null && item.getAux().getDigest() != null) {
        digest = item.getAux().getDigest();
      }
      if (item instanceof BuildResponseItem b && b.isBuildSuccessIndicated()) {
        imageId = b.getImageId();
      }
    }
    String line = lineOf(item);
    if (line != null) {
      try {
        listener.onProgress(service, phase, line);
      } catch (RuntimeException e) {
        // A failing listener must not cut the engine's stream short and hide its outcome.
        synchronized (this) {
          listenerFailure = listenerFailure == null ? e : listenerFailure;
        }
      }
    }
  }

  /**
   * Waits for the stream to end; a transport failure (connection lost, HTTP error status)
   * is rethrown by docker-java here.
   *
   * @return false on timeout
   */
  boolean finish(java.time.Duration timeout) throws InterruptedException {
    return awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized List<String> steps() {
    return List.copyOf(steps);
  }

  synchronized String imageId() {
    return imageId;
  }

  /** The first exception the listener threw, or null; the rebuilder reports it after the engine's outcome. */
  synchronized RuntimeException listenerFailure() {
    return listenerFailure;
  }

  synchronized String digest() {
    return digest;
  }

  private static String errorOf(ResponseItem item) {
    if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
      return item.getErrorDetail().getMessage().strip();
    }
    return item.getError() == null ? "unknown engine error" : item.getError().strip();
  }

  /** A readable line: build output text, or "id: status progress" for pull/push items. */
  static String lineOf(ResponseItem item) {
    if (item.isErrorIndicated()) {
      return "error: " + errorOf(item);
    }
    if (item.getStream() != null) {
      String text = item.getStream().strip();
      return text.isEmpty() ? null : text;
    }
    if (item.getStatus() == null) {
      return item.getAux() != null && item.getAux().getDigest() != null ? "digest: " + item.getAux().getDigest() : null;
    }
    StringBuilder sb = new StringBuilder();
    if (item.getId() != null) {
      sb.append(item.getId()).append(": ");
    }
    sb.append(item.getStatus());
    if (item.getProgressDetail() != null && item.getProgressDetail().getTotal() != null
        && item.getProgressDetail().getCurrent() != null) {
      sb.append(' ').append(item.getProgressDetail().getCurrent()).append('/')
          .append(item.getProgressDetail().getTotal()).append(" bytes");
    }
    return sb.toString();
  }
}
