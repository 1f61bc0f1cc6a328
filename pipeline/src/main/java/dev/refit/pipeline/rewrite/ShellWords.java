package dev.refit.pipeline.rewrite;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits POSIX shell text into simple commands of words, each word with its character range and
 * unquoted value (sh(1) "Token Recognition": quotes, backslash escapes, backslash-newline
 * continuation, comments from an unquoted '#' at a word start; ';', '&', '|' and newline end a
 * command). No expansion is performed: a word holding '$' or a backquote is marked dynamic.
 * Stateless; thread-safe.
 */
final class ShellWords {

  /** One word: {@code [start, end)} in the text, its value without quotes, and how it was quoted. */
  record Word(int start, int end, String value, char quote, boolean dynamic) {
  }

  /** One simple command and the 1-based line where it starts. */
  record Command(int line, List<Word> words) {
  }

  private ShellWords() {
  }

  /** Splits {@code text} into commands; an unterminated quote is reported with its line. */
  static List<Command> parse(String text) throws UnterminatedQuoteException {
    List<Command> commands = new ArrayList<>();
    List<Word> words = new ArrayList<>();
    int line = 1;
    int commandLine = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        line++;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        i++;
        continue;
      }
      if (c == '\n' || c == ';' || c == '&' || c == '|') {
        if (!words.isEmpty()) {
          commands.add(new Command(commandLine, List.copyOf(words)));
          words.clear();
        }
        if (c == '\n') {
          line++;
        }
        i++;
        continue;
      }
      if (c == '#') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (words.isEmpty()) {
        commandLine = line;
      }
      int start = i;
      StringBuilder value = new StringBuilder();
      char quote = 0;
      boolean dynamic = false;
      boolean onlyQuoted = true;
      while (i < n) {
        c = text.charAt(i);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '&' || c == '|') {
          break;
        }
        if (c == '\'' || c == '"') {
          int close = c == '\'' ? text.indexOf('\'', i + 1) : closingDouble(text, i + 1);
          if (close < 0) {
            throw new UnterminatedQuoteException(line);
          }
          String inner = text.substring(i + 1, close);
          if (c == '"') {
            dynamic |= inner.indexOf('$') >= 0 || inner.indexOf('`') >= 0;
            inner = inner.replaceAll("\\\\([\\\\\"$`])", "$1");
          }
          value.append(inner);
          line += (int) inner.chars().filter(ch -> ch == '\n').count();
          quote = start == i && quote == 0 ? c : quote;
          i = close + 1;
          continue;
        }
        onlyQuoted = false;
        if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i += 2; // line continuation inside a word
          line++;
          continue;
        }
        if (c == '\\' && i + 1 < n) {
          value.append(text.charAt(i + 1));
          i += 2;
          continue;
        }
        dynamic |= c == '$' || c == '`';
        value.append(c);
        i++;
      }
      boolean wholeQuoted = quote != 0 && onlyQuoted
          && text.charAt(i - 1) == quote && text.indexOf(quote, start + 1) == i - 1;
      words.add(new Word(start, i, value.toString(), wholeQuoted ? quote : 0, dynamic));
    }
    if (!words.isEmpty()) {
      commands.add(new Command(commandLine, List.copyOf(words)));
    }
    return commands;
  }

  /** The word as shell text: kept in its original quote style, plain when it needs none. */
  static String render(String value, char quote) {
    if (quote == '"') {
      return '"' + value.replaceAll("([\\\\\"$`])", "\\\\$1") + '"';
    }
    if (quote == 0 && value.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "._-/:@+=,".indexOf(ch) >= 0)) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static int closingDouble(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** A quote opened and never closed. */
  static final class UnterminatedQuoteException extends Exception {
    private final int line;

    UnterminatedQuoteException(int line) {
      super("unterminated quote starting on line " + line);
      this.line = line;
    }

    int line() {
      return line;
    }
  }
}
