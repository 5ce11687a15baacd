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
