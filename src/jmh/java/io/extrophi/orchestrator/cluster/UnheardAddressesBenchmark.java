package io.extrophi.orchestrator.cluster;

import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a message to an address nobody listens to (a probe result on {@code
 * orchestrator.probe.result}, in a cluster) costs to route once {@link UnheardAddresses} has read
 * it: answered from memory, where Vert.x alone read Hazelcast's registrations map on a worker
 * thread, often on another member, for every message.
 */
@State(Scope.Thread)
public class UnheardAddressesBenchmark {

  private static final String ADDRESS = "orchestrator.probe.result";

  private final UnheardAddresses unheard = new UnheardAddresses(new RegistrationListener() {});

  public UnheardAddressesBenchmark() {
    unheard.registrations(
        ADDRESS, (registrations, failure) -> {}, (a, done) -> done.succeed(List.of()));
  }

  @Benchmark
  public void routeToAnUnheardAddress(Blackhole sink) {
    unheard.registrations(
        ADDRESS,
        (List<RegistrationInfo> registrations, Throwable failure) -> sink.consume(registrations),
        (address, done) -> {
          throw new IllegalStateException("read again");
        });
  }
}
