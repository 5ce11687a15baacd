package io.extrophi.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

@UnitTest
class ListenFailureTest {

  @Test
  void namesTheAddressWhatWantedItAndTheReason() {
    ListenFailure failure =
        ListenFailure.of(
            "the HTTP API", "127.0.0.1", 8003, new BindException("Address already in use"));
    assertThat(failure.getMessage())
        .isEqualTo("cannot listen on 127.0.0.1:8003 for the HTTP API: Address already in use");
  }

  @Test
  void dropsTheSystemCallPrefixOfTheNativeTransport() {
    ListenFailure failure =
        ListenFailure.of(
            "the demo",
            "127.0.0.1",
            8000,
            new IOException("bind(..) failed with error(-98): Address already in use"));
    assertThat(failure.getMessage())
        .isEqualTo("cannot listen on 127.0.0.1:8000 for the demo: Address already in use");
  }

  @Test
  void aFailureWithoutMessageIsNamedByItsType() {
    assertThat(ListenFailure.of("the HTTP API", "::1", 1, new IllegalStateException()).getMessage())
        .isEqualTo("cannot listen on ::1:1 for the HTTP API: IllegalStateException");
  }
}
