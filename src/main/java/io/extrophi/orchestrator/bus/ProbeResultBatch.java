package io.extrophi.orchestrator.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Probe results handed from the probe side to the status side in one message, on {@link
 * EventBusAddresses#PROBE_RESULT_BATCHES}. A message per result would wake the status verticle's
 * event loop once per probe; a batch wakes it once per batch.
 *
 * <p>It only ever travels inside one process, as the same immutable object: see {@link
 * LocalOnlyCodec}.
 *
 * @param results in the order the probes completed
 */
public record ProbeResultBatch(List<ProbeResult> results) {

  public ProbeResultBatch {
    results = List.copyOf(results);
  }

  /** Lets {@code bus} carry batches; registering twice is harmless. */
  public static void registerCodec(EventBus bus) {
    LocalOnlyCodec.register(bus, ProbeResultBatch.class);
  }
}
