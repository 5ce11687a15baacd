package io.extrophi.orchestrator.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options shared by the benchmark servers: {@code --port P}, {@code --event-loops E},
 * {@code --addresses N} and {@code --tls-cert C --tls-key K}. They bind loopback only, never a
 * public interface: {@code 127.0.0.1}, and with {@code --addresses N} also 127.0.0.2 to 127.0.0.N,
 * each bound explicitly (never {@code 0.0.0.0}).
 *
 * @param addresses how many loopback addresses to bind, from 127.0.0.1 up
 * @param tlsCert PEM certificate to serve HTTPS with, or {@code null} for plain HTTP
 * @param tlsKey PEM private key of {@code tlsCert}, or {@code null}
 */
record BenchArgs(int port, int eventLoops, int addresses, String tlsCert, String tlsKey) {

  /** The first address the benchmark servers bind: loopback, never a public interface. */
  static final String HOST = "127.0.0.1";

  /** 127.0.0.1 to 127.0.0.254: a fleet spread over loopback addresses, as over hosts. */
  static final int MAX_ADDRESSES = 254;

  BenchArgs(int port, int eventLoops) {
    this(port, eventLoops, 1, null, null);
  }

  /** 127.0.0.1 to 127.0.0.{@code count}. */
  static List<String> loopbackAddresses(int count) {
    List<String> hosts = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      hosts.add("127.0.0." + i);
    }
    return hosts;
  }

  List<String> hosts() {
    return loopbackAddresses(addresses);
  }

  boolean tls() {
    return tlsCert != null;
  }

  /**
   * @param args {@code --port P} (required, 0 picks a free port) and optionally {@code
   *     --event-loops E} (default {@code defaultEventLoops}), {@code --addresses N} (default 1) and
   *     {@code --tls-cert C --tls-key K} (both or neither)
   * @throws IllegalArgumentException naming the bad or missing option
   */
  static BenchArgs parse(String[] args, int defaultEventLoops) {
    Map<String, String> options =
        options(args, Set.of("--port", "--event-loops", "--addresses", "--tls-cert", "--tls-key"));
    if (!options.containsKey("--port")) {
      throw new IllegalArgumentException("--port P is required");
    }
    String tlsCert = options.get("--tls-cert");
    String tlsKey = options.get("--tls-key");
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    return new BenchArgs(
        number(options, "--port", 0, 0, 65535),
        number(options, "--event-loops", defaultEventLoops, 1, 64),
        number(options, "--addresses", 1, 1, MAX_ADDRESSES),
        tlsCert,
        tlsKey);
  }

  /**
   * The {@code --name value} pairs of a benchmark's command line, every name one of {@code known}.
   *
   * @throws IllegalArgumentException for a name without a value, or an unknown name
   */
  static Map<String, String> options(String[] args, Set<String> known) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      options.put(name, args[i + 1]);
    }
    return options;
  }

  /** The whole number given as {@code name}, {@code orElse} when it is not given. */
  static int number(Map<String, String> options, String name, int orElse, int min, int max) {
    String value = options.get(name);
    return value == null ? orElse : number(name, value, min, max);
  }

  /** The value of {@code name}, one of {@code allowed}; {@code orElse} when it is not given. */
  static String choice(
      Map<String, String> options, String name, String orElse, Set<String> allowed) {
    String value = options.getOrDefault(name, orElse);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          name + " must be " + String.join(" or ", allowed.stream().sorted().toList()));
    }
    return value;
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
