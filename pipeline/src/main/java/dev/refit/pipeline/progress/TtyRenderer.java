package dev.refit.pipeline.progress;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * One progress bar per image on a terminal: the bar counts the image's stages started
 * ({@link JobEvents#STAGES}) and its result, its message names the current stage with bytes where known (the
 * fetch's copied bytes, the engine's build/push progress), and its final state shows the
 * action. Not thread-safe (see {@link ProgressRenderer}); the bars are redrawn by the
 * progressbar library's own timer thread, never by an event loop.
 */
public final class TtyRenderer implements ProgressRenderer {
  /** The engine's push/pull lines end in "current/total bytes" (see EngineStream). */
  private static final Pattern ENGINE_BYTES = Pattern.compile("(\\d+)/(\\d+) bytes$");
  private static final int NAME_WIDTH = 24;

  private final PrintStream out;
  private final int width;
  private final Map<String, ProgressBar> bars = new LinkedHashMap<>();

  /**
   * @param out the terminal
   * @param width the terminal's width in columns, each bar's line is kept within it; 0 asks
   *     the terminal
   */
  public TtyRenderer(PrintStream out, int width) {
    this.out = out;
    this.width = width;
  }

  @Override
  public void render(JsonObject event) {
    String service = event.getString("service");
    if (service == null) {
      return;
    }
    ProgressBar bar = bars.computeIfAbsent(service, this::newBar);
    String type = event.getString("type", "");
    if (JobEvents.PROGRESS.equals(type)) {
      String stage = event.getString("stage");
      bar.stepTo(Math.max(bar.getCurrent(), JobEvents.stageIndex(stage) + 1L));
      bar.setExtraMessage(message(stage, event));
    } else if (JobEvents.isFinal(event)) {
      bar.stepTo(bar.getMax());
      String reason = event.getString("reason");
      bar.setExtraMessage(event.getString("action", type) + (reason == null ? "" : ": " + reason));
      bar.close();
    }
  }

  @Override
  public void close() {
    bars.values().forEach(ProgressBar::close);
    out.flush();
  }

  private ProgressBar newBar(String service) {
    String name = service.length() > NAME_WIDTH ? service.substring(0, NAME_WIDTH)
        : service + " ".repeat(NAME_WIDTH - service.length());
    // One step per stage started, and a last one for the image's result: a bar is full only
    // when its image is done, not while its last stage (the push) runs.
    return new ProgressBarBuilder().setTaskName(name).setInitialMax(JobEvents.STAGES.size() + 1L)
        .setConsumer(new InteractiveConsoleProgressBarConsumer(out, width))
        .setUpdateIntervalMillis(200).hideEta().build();
  }

  /** The bar's message for a progress event: stage, detail, bytes in binary units. */
  static String message(String stage, JsonObject event) {
    String detail = event.getString("detail", event.getString("line", ""));
    Long bytes = event.getLong("bytes");
    Matcher engine = ENGINE_BYTES.matcher(detail);
    if (engine.find()) {
      detail = detail.substring(0, engine.start()).strip() + " "
          + human(Long.parseLong(engine.group(1))) + "/" + human(Long.parseLong(engine.group(2)));
    } else if (bytes != null) {
      detail = detail + " " + human(bytes);
    }
    return (stage + " " + detail).strip();
  }

  /** Bytes in binary units, one decimal: 1536 → "1.5 KiB". */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
