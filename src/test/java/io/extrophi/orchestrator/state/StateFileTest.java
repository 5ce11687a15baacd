package io.extrophi.orchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class StateFileTest {

  @TempDir Path dir;

  @Test
  void writesAtomicallyAndReadsBackTheSamePayload(Vertx vertx, VertxTestContext test) {
    StateFile file = new StateFile(vertx, dir.resolve("nested").toString(), Clock.systemUTC());
    file.write(Buffer.buffer("first"))
        .compose(first -> file.write(Buffer.buffer("second")))
        .compose(second -> file.read(Buffer::toString))
        .onComplete(
            test.succeeding(
                read ->
                    test.verify(
                        () -> {
                          assertThat(read).contains("second");
                          assertThat(Files.exists(Path.of(file.path() + ".tmp"))).isFalse();
                          test.completeNow();
                        })));
  }

  @Test
  void noFileMeansNoState(Vertx vertx, VertxTestContext test) {
    new StateFile(vertx, dir.toString(), Clock.systemUTC())
        .read(Buffer::toString)
        .onComplete(
            test.succeeding(
                read ->
                    test.verify(
                        () -> {
                          assertThat(read).isEmpty();
                          test.completeNow();
                        })));
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheStateStartsFresh(Vertx vertx, VertxTestContext test)
      throws Exception {
    StateFile file = new StateFile(vertx, dir.toString(), Clock.systemUTC());
    Files.writeString(Path.of(file.path()), "definitely not a state file");
    file.read(Buffer::toString)
        .onComplete(
            test.succeeding(
                read ->
                    test.verify(
                        () -> {
                          assertThat(read).isEqualTo(Optional.empty());
                          assertThat(Files.exists(Path.of(file.path()))).isFalse();
                          try (Stream<Path> files = Files.list(dir)) {
                            assertThat(files.map(path -> path.getFileName().toString()))
                                .anyMatch(name -> name.startsWith("state.bin.corrupt-"));
                          }
                          test.completeNow();
                        })));
  }

  @Test
  void aFlippedByteFailsTheChecksum(Vertx vertx, VertxTestContext test) {
    StateFile file = new StateFile(vertx, dir.toString(), Clock.systemUTC());
    file.write(Buffer.buffer("payload that matters"))
        .compose(
            written -> {
              byte[] content = vertx.fileSystem().readFileBlocking(file.path()).getBytes();
              content[content.length - 3] ^= 0x01;
              return vertx.fileSystem().writeFile(file.path(), Buffer.buffer(content));
            })
        .compose(damaged -> file.read(Buffer::toString))
        .onComplete(
            test.succeeding(
                read ->
                    test.verify(
                        () -> {
                          assertThat(read).isEmpty();
                          test.completeNow();
                        })));
  }

  @Test
  void aDecoderThatRejectsTheContentAlsoStartsFresh(Vertx vertx, VertxTestContext test) {
    StateFile file = new StateFile(vertx, dir.toString(), Clock.systemUTC());
    file.write(Buffer.buffer("valid frame, invalid content"))
        .compose(
            written ->
                file.read(
                    payload -> {
                      throw new IllegalArgumentException("not a status");
                    }))
        .onComplete(
            test.succeeding(
                read ->
                    test.verify(
                        () -> {
                          assertThat(read).isEmpty();
                          test.completeNow();
                        })));
  }
}
