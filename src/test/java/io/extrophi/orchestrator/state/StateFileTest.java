package io.extrophi.orchestrator.state;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.Checked;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@UnitTest
class StateFileTest {

  @TempDir Path dir;

  /** The state file of {@code dir}. */
  private StateFile file;

  @BeforeEach
  void aStateFileInTheDirectory(Vertx vertx) {
    file = new StateFile(vertx, dir.toString(), Clock.systemUTC());
  }

  /** Writes "first" then "second", and reads the state back. */
  private static Future<Optional<String>> writeTwiceAndRead(StateFile file) {
    return file.write(Buffer.buffer("first"))
        .compose(first -> file.write(Buffer.buffer("second")))
        .compose(second -> file.read(Buffer::toString));
  }

  /** The read finds no state: the orchestrator starts fresh. */
  private static <T> void expectNoState(VertxTestContext test, Future<Optional<T>> read) {
    read.onComplete(thenComplete(test, found -> assertThat(found).isEmpty()));
  }

  /** The operation fails; once the failure and the directory pass the check, the test is done. */
  private static void expectFailure(
      VertxTestContext test, Future<?> operation, Checked.Check<Throwable> check) {
    operation.onComplete(
        test.failing(
            failure ->
                test.verify(
                    () -> {
                      check.accept(failure);
                      test.completeNow();
                    })));
  }

  @Test
  void writesAtomicallyAndReadsBackTheSamePayload(Vertx vertx, VertxTestContext test) {
    StateFile nested = new StateFile(vertx, dir.resolve("nested").toString(), Clock.systemUTC());
    writeTwiceAndRead(nested)
        .onComplete(
            thenComplete(
                test,
                read -> {
                  assertThat(read).contains("second");
                  try (Stream<Path> files = Files.list(dir.resolve("nested"))) {
                    assertThat(files).containsExactly(Path.of(nested.path()));
                  }
                }));
  }

  @Test
  void aStateWrittenInChunksReadsBackWhole(VertxTestContext test) {
    Iterator<String> chunks = List.of("one,", "two,", "", "three").iterator();
    file.write(() -> chunks.hasNext() ? Buffer.buffer(chunks.next()) : null)
        .compose(written -> file.read(Buffer::toString))
        .onComplete(
            thenComplete(
                test,
                read -> {
                  assertThat(read).contains("one,two,three");
                  // The same bytes as the payload written in one piece.
                  assertThat(Files.readAllBytes(Path.of(file.path())))
                      .isEqualTo(StateFile.frame(Buffer.buffer("one,two,three")).getBytes());
                }));
  }

  @Test
  void bigChunksAreWrittenWholeAndNoneIsKeptOnceWritten(VertxTestContext test) {
    int chunkCount = 6;
    int chunkBytes = 200 * 1024; // more than one write call each
    Random random = new Random(7);
    Buffer whole = Buffer.buffer();
    List<WeakReference<Buffer>> handedOut = new ArrayList<>();
    List<Boolean> collectedTwoChunksLater = new ArrayList<>();
    file.write(
            () -> {
              int index = handedOut.size();
              if (index >= 2) {
                // A chunk two writes back must be garbage by now: a write keeps nothing of the
                // chunks it has written (a 10,000-service state is some 150 MB of them).
                collectedTwoChunksLater.add(collected(handedOut.get(index - 2)));
              }
              if (index == chunkCount) {
                return null;
              }
              byte[] bytes = new byte[chunkBytes];
              random.nextBytes(bytes);
              whole.appendBytes(bytes);
              Buffer chunk = Buffer.buffer(bytes);
              handedOut.add(new WeakReference<>(chunk));
              return chunk;
            })
        .compose(written -> file.read(Buffer::getBytes))
        .onComplete(
            thenComplete(
                test,
                read -> {
                  assertThat(read.orElseThrow()).isEqualTo(whole.getBytes());
                  assertThat(collectedTwoChunksLater).hasSize(chunkCount - 1).containsOnly(true);
                }));
  }

  @Test
  void aFileThatCannotBeReadStopsTheReadAndIsLeftAlone(VertxTestContext test) throws Exception {
    // A directory where the file should be: it exists, but reading it fails (as a file without
    // read permission would; tests run as root, which may read any file).
    Files.createDirectory(Path.of(file.path()));
    expectFailure(
        test,
        file.read(Buffer::toString),
        failure -> {
          assertThat(failure)
              .isInstanceOf(StateUnreadableException.class)
              .hasMessageStartingWith("cannot read the state file " + file.path())
              .hasMessageContaining("left untouched");
          assertThat(Files.isDirectory(Path.of(file.path()))).isTrue();
          try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
          }
        });
  }

  @Test
  void noFileMeansNoState(VertxTestContext test) {
    expectNoState(test, file.read(Buffer::toString));
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheStateStartsFresh(VertxTestContext test) throws Exception {
    Files.writeString(Path.of(file.path()), "definitely not a state file");
    file.read(Buffer::toString)
        .onComplete(
            thenComplete(
                test,
                read -> {
                  assertThat(read).isEqualTo(Optional.empty());
                  assertThat(Files.exists(Path.of(file.path()))).isFalse();
                  try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(path -> path.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("state.bin.corrupt-"));
                  }
                }));
  }

  @Test
  void aFlippedByteFailsTheChecksum(Vertx vertx, VertxTestContext test) {
    expectNoState(
        test,
        file.write(Buffer.buffer("payload that matters"))
            .compose(
                written -> {
                  byte[] content = vertx.fileSystem().readFileBlocking(file.path()).getBytes();
                  content[content.length - 3] ^= 0x01;
                  return vertx.fileSystem().writeFile(file.path(), Buffer.buffer(content));
                })
            .compose(damaged -> file.read(Buffer::toString)));
  }

  @Test
  void aDecoderThatRejectsTheContentAlsoStartsFresh(VertxTestContext test) {
    expectNoState(
        test,
        file.write(Buffer.buffer("valid frame, invalid content"))
            .compose(
                written ->
                    file.read(
                        payload -> {
                          throw new IllegalArgumentException("not a status");
                        })));
  }

  @Test
  void aStaleTemporaryThatCannotBeWrittenDoesNotStopTheWrites(VertxTestContext test)
      throws Exception {
    // Another user's leftover that this process cannot open or remove (root-owned, say; a directory
    // stands in for it, since the tests run as root), under the old shared name and under the name
    // this process's first write would take.
    Path legacy = Files.createDirectory(Path.of(file.path() + ".tmp"));
    Files.writeString(legacy.resolve("keeps-it"), "x");
    Path taken =
        Files.createDirectory(
            Path.of(file.path() + "." + ProcessHandle.current().pid() + ".1.tmp"));
    Files.writeString(taken.resolve("keeps-it"), "x");
    writeTwiceAndRead(file)
        .onComplete(thenComplete(test, read -> assertThat(read).contains("second")));
  }

  @Test
  void temporariesOfWritersThatDiedAreRemovedWhenTheStateIsRead(VertxTestContext test)
      throws Exception {
    long gone =
        ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
    Path ofDeadWriter = Files.writeString(Path.of(file.path() + "." + gone + ".7.tmp"), "half");
    Path legacy = Files.writeString(Path.of(file.path() + ".tmp"), "half");
    // pid 1 is alive: its temporary may be a write under way (were it ours to write).
    Path ofLiveWriter = Files.writeString(Path.of(file.path() + ".1.3.tmp"), "half");
    Path unrelated = Files.writeString(dir.resolve("state.bin.notes"), "mine");
    file.read(Buffer::toString)
        .onComplete(
            thenComplete(
                test,
                read -> {
                  assertThat(ofDeadWriter).doesNotExist();
                  assertThat(legacy).doesNotExist();
                  assertThat(ofLiveWriter).exists();
                  assertThat(unrelated).exists();
                }));
  }

  @Test
  void aWriteThatFailsLeavesNoTemporaryBehind(VertxTestContext test) {
    Iterator<String> chunks = List.of("one,", "two,").iterator();
    Future<Void> write =
        file.write(
            () -> {
              if (!chunks.hasNext()) {
                throw new IllegalStateException("encoding failed");
              }
              return Buffer.buffer(chunks.next());
            });
    expectFailure(
        test,
        write,
        failure -> {
          try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
          }
        });
  }

  /**
   * Whether {@code chunk} is collected by a few collections. A worker thread that wrote it may not
   * yet have dropped its task when it handed back the answer (on a loaded machine it can be
   * descheduled right there), so one collection at once is not enough; a chunk the writer itself
   * keeps is never collected, however many there are.
   */
  private static boolean collected(WeakReference<Buffer> chunk) {
    for (int attempt = 0; attempt < 20 && chunk.get() != null; attempt++) {
      System.gc();
      if (chunk.get() != null) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
    return chunk.get() == null;
  }
}
