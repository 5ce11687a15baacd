package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;

/**
 * How an {@code https} probe checks the service's certificate: by default against the JVM's trusted
 * authorities, with the host name verified; {@code tls_ca_file} trusts the authorities in a PEM
 * file instead (a private CA, a self-signed certificate); {@code tls_skip_verify} accepts any
 * certificate, expired or self-signed, for any host name (encryption without authentication: for a
 * lab, not for production).
 *
 * @param caFile PEM file of the authorities to trust, or {@code null} for the JVM's
 * @param skipVerify whether to accept any certificate
 */
public record ServiceTls(String caFile, boolean skipVerify) {

  /** Verify against the JVM's trusted authorities. */
  public static final ServiceTls VERIFY = new ServiceTls(null, false);

  /**
   * Reads a service's {@code tls_ca_file} (a path) and {@code tls_skip_verify} (a boolean), for an
   * {@code https} URL only: on a plain {@code http} URL they would silently do nothing.
   *
   * @param prefix the service's key, e.g. {@code services[2]}
   */
  static ServiceTls from(ConfigValues values, String prefix, JsonObject entry, String url) {
    String caKey = prefix + ".tls_ca_file";
    String skipKey = prefix + ".tls_skip_verify";
    String caFile = null;
    if (entry.containsKey("tls_ca_file")) {
      Object raw = entry.getValue("tls_ca_file");
      caFile = values.optionalPath(caKey, raw);
      if (caFile == null) {
        throw values.invalid(caKey, raw, "must be the path of a PEM file of trusted certificates");
      }
    }
    boolean skipVerify = false;
    if (entry.containsKey("tls_skip_verify")) {
      Object raw = entry.getValue("tls_skip_verify");
      if (!(raw instanceof Boolean flag)) {
        throw values.invalid(skipKey, raw, "must be true or false");
      }
      skipVerify = flag;
    }
    if (caFile != null && skipVerify) {
      throw values.invalid(
          skipKey, true, "must not be true together with tls_ca_file (skipping verifies nothing)");
    }
    ServiceTls tls = new ServiceTls(caFile, skipVerify);
    if (!tls.isDefault() && !url.regionMatches(true, 0, "https:", 0, 6)) {
      throw values.invalid(
          caFile != null ? caKey : skipKey,
          caFile != null ? caFile : true,
          "applies to https URLs only, and url is not one");
    }
    return tls;
  }

  public boolean isDefault() {
    return equals(VERIFY);
  }

  public JsonObject toJson() {
    return new JsonObject().put("ca_file", caFile).put("skip_verify", skipVerify);
  }

  public static ServiceTls fromJson(JsonObject json) {
    return json == null
        ? VERIFY
        : new ServiceTls(json.getString("ca_file"), json.getBoolean("skip_verify", false));
  }
}
