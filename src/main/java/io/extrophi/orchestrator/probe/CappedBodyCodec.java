package io.extrophi.orchestrator.probe;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Buffers a response body up to a cap and fails the response beyond it, so a body condition never
 * holds an unbounded body in memory. Bytes past the cap are not kept.
 */
final class CappedBodyCodec implements BodyCodec<Buffer> {

  /** The body was larger than the cap; the probe fails with this message. */
  static final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(int cap) {
      super("body exceeds " + cap + " bytes", null, false, false);
    }
  }

  private final int cap;

  CappedBodyCodec(int cap) {
    this.cap = cap;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new CappedStream(cap);
  }

  private static final class CappedStream implements BodyStream<Buffer> {
    private final int cap;
    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    CappedStream(int cap) {
      this.cap = cap;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (result.future().isComplete()) {
        return Future.succeededFuture();
      }
      if (body.length() + data.length() > cap) {
        BodyTooLargeException tooLarge = new BodyTooLargeException(cap);
        result.tryFail(tooLarge);
        return Future.failedFuture(tooLarge);
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
