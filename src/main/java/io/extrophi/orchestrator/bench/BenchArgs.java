package io.extrophi.orchestrator.bench;

/**
 * Command-line options shared by the benchmark servers. They take only {@code --port P} and {@code
 * --event-loops E}, and always bind 127.0.0.1: the benchmark must never listen beyond loopback.
 */
record BenchArgs(int port, int eventLoops) {

  /** The only address the benchmark servers bind: loopback, never a public interface. */
  static final String HOST = "127.0.0.1";

  /**
   * @param args {@code --port P} (required, 0 picks a free port) and optionally {@code
   *     --event-loops E} (default {@code defaultEventLoops})
   * @throws IllegalArgumentException naming the bad or missing option
   */
  static BenchArgs parse(String[] args, int defaultEventLoops) {
    Integer port = null;
    int eventLoops = defaultEventLoops;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--port" -> port = number(name, value, 0, 65535);
        case "--event-loops" -> eventLoops = number(name, value, 1, 64);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (port == null) {
      throw new IllegalArgumentException("--port P is required");
    }
    return new BenchArgs(port, eventLoops);
  }

  static int number(String name, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException(
        name + "=\"" + value + "\" must be a whole number from " + min + " to " + max);
  }
}
