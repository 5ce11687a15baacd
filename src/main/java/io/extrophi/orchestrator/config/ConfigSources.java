package io.extrophi.orchestrator.config;

public record ConfigSources() {
  public static ConfigSources defaults() {
    return new ConfigSources();
  }
}
