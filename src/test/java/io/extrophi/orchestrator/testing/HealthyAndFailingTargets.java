package io.extrophi.orchestrator.testing;

import static io.extrophi.orchestrator.testing.Await.await;

import io.vertx.core.Vertx;

/**
 * A target answering 200 and one answering 503: the smallest fleet whose overall health is
 * degraded, and whose two results differ in every figure the API reports.
 */
public record HealthyAndFailingTargets(TargetServer healthy, TargetServer failing) {

  /** Both targets listening, on {@code vertx}. */
  public static HealthyAndFailingTargets start(Vertx vertx) throws Exception {
    return new HealthyAndFailingTargets(
        await(TargetServer.start(vertx)), await(TargetServer.start(vertx)).respondWith(503));
  }
}
