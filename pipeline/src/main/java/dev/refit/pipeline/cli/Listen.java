package dev.refit.pipeline.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code host:port} listen address; IPv6 hosts in brackets. Immutable. */
public record Listen(String host, int port) {

  public static Listen parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException(
          "invalid listen address '" + value + "': expected HOST:PORT, e.g. 127.0.0.1:8787");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "invalid port in listen address '" + value + "': expected a number 0-65535");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException(
          "invalid port " + port + " in listen address '" + value + "': expected 0-65535");
    }
    return new Listen(host, port);
  }

  /** picocli converter. */
  public static final class Converter implements ITypeConverter<Listen> {
    @Override
    public Listen convert(String value) {
      return parse(value);
    }
  }
}
