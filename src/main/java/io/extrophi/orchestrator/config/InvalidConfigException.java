package io.extrophi.orchestrator.config;

public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String m) {
    super(m);
  }
}
