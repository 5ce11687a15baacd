package io.extrophi.orchestrator.stats;

/**
 * Shallow size estimates for the usual 64-bit HotSpot layout with compressed references (any heap
 * under 32 GB): 12-byte object headers, 16-byte array headers, 4-byte references, everything padded
 * to 8 bytes. Estimates, not measurements; they exist so the memory budget per service can be
 * asserted in tests and reported by the service.
 */
final class Footprint {

  static final int REFERENCE = 4;
  static final int OBJECT_HEADER = 12;
  static final int ARRAY_HEADER = 16;

  private Footprint() {}

  static long array(int elementBytes, int length) {
    return align(ARRAY_HEADER + (long) elementBytes * length);
  }

  static long object(int fieldBytes) {
    return align(OBJECT_HEADER + (long) fieldBytes);
  }

  /** A {@link String} with its Latin-1 or UTF-16 byte array (compact strings). */
  static long string(String value) {
    boolean latin1 = value.chars().allMatch(c -> c < 256);
    return object(12) + array(latin1 ? 1 : 2, value.length());
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
