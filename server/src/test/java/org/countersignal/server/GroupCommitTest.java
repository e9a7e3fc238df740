package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.countersignal.server.store.Database;
import org.countersignal.server.store.GroupCommit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on the real database: requests that wait while a batch is written are written
 * together, in one transaction, each answered with its own result; a request that fails its batch
 * is refused alone while the others are stored once; a transaction lost to a deadlock is tried
 * again; a writer's wrong count of answers rolls its transaction back; stopping writes what was submitted before and refuses what comes after. Each test holds
 * the worker on a first request so that the others queue behind it.
 */
class GroupCommitTest {

  @TempDir static Path dataDir;
  static Database database;
  static Jdbi jdbi;

  @BeforeAll
  static void open() {
    database = TestServers.openDatabase(dataDir);
    jdbi = database.jdbi();
    jdbi.useHandle(h -> h.execute("CREATE TABLE group_commit_rows (id INT PRIMARY KEY, batch_size INT NOT NULL)"));
  }

  @AfterAll
  static void close() {
    jdbi.useHandle(h -> h.execute("DROP TABLE group_commit_rows"));
    database.close();
  }

  @BeforeEach
  void empty() {
    jdbi.useHandle(h -> h.execute("DELETE FROM group_commit_rows"));
  }

  /** Writes each request as a row with the size of its batch, answers it doubled; request 0 waits for {@code release} first. */
  static final class Rows implements GroupCommit.Writer<Integer, Integer> {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<Integer> write(Handle h, List<Integer> batch) {
      List<Integer> answers = new ArrayList<>();
      for (int id : batch) {
        if (id == 0) {
          holding.countDown();
          await(release);
        }
        h.createUpdate("INSERT INTO group_commit_rows (id, batch_size) VALUES (:id, :size)").bind("id", id).bind("size", batch.size()).execute();
        answers.add(id * 2);
      }
      return answers;
    }
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Submits request 0, which holds the worker, then {@code others}, and waits until they all wait. */
  static List<CompletableFuture<Integer>> queueBehindTheFirst(GroupCommit<Integer, Integer> commit, Rows rows, List<Integer> others) {
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    answers.add(CompletableFuture.supplyAsync(() -> commit.submit(0)));
    await(rows.holding);
    for (int id : others) {
      answers.add(CompletableFuture.supplyAsync(() -> commit.submit(id)));
    }
    awaitWaiting(commit, others.size());
    return answers;
  }

  static void awaitWaiting(GroupCommit<Integer, Integer> commit, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (commit.waiting() < count) {
      assertThat(System.nanoTime()).as("requests waiting").isLessThan(deadline);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static Map<Integer, Integer> stored() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, batch_size FROM group_commit_rows")
        .reduceRows(new java.util.TreeMap<Integer, Integer>(), (map, row) -> {
          map.put(row.getColumn("id", Integer.class), row.getColumn("batch_size", Integer.class));
          return map;
        }));
  }

  @Test
  void requestsThatWaitTogetherAreWrittenInOneTransactionEachWithItsOwnAnswer() {
    Rows rows = new Rows();
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", rows)) {
      List<CompletableFuture<Integer>> answers = queueBehindTheFirst(commit, rows, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
      rows.release.countDown();
      for (int id = 0; id <= 10; id++) {
        assertThat(answers.get(id).join()).isEqualTo(id * 2);
      }
    }
    Map<Integer, Integer> stored = stored();
    assertThat(stored).hasSize(11).containsEntry(0, 1);
    for (int id = 1; id <= 10; id++) {
      assertThat(stored).containsEntry(id, 10);
    }
  }

  @Test
  void aBatchIsNoLargerThanItsLimit() {
    Rows rows = new Rows();
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 4, id -> "one", rows)) {
      List<CompletableFuture<Integer>> answers = queueBehindTheFirst(commit, rows, List.of(1, 2, 3, 4, 5, 6));
      rows.release.countDown();
      answers.forEach(CompletableFuture::join);
    }
    assertThat(stored().values()).containsExactlyInAnyOrder(1, 4, 4, 4, 4, 2, 2);
  }

  @Test
  void aRequestThatFailsItsBatchIsRefusedAloneAndTheOthersAreStoredOnce() {
    jdbi.useHandle(h -> h.execute("INSERT INTO group_commit_rows (id, batch_size) VALUES (3, 0)"));
    Rows rows = new Rows();
    List<CompletableFuture<Integer>> answers;
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", rows)) {
      answers = queueBehindTheFirst(commit, rows, List.of(1, 2, 3, 4));
      rows.release.countDown();
      assertThat(answers.get(1).join()).isEqualTo(2);
      assertThat(answers.get(2).join()).isEqualTo(4);
      assertThat(answers.get(4).join()).isEqualTo(8);
      assertThatThrownBy(() -> answers.get(3).join()).hasRootCauseInstanceOf(SQLException.class);
    }
    // Written again one by one after the batch of four was rolled back: each once, in a batch of one.
    assertThat(stored()).containsEntry(1, 1).containsEntry(2, 1).containsEntry(3, 0).containsEntry(4, 1).hasSize(5);
  }

  @Test
  void aTransactionLostToADeadlockIsTriedAgainAndItsFirstAttemptLeavesNothing() {
    AtomicBoolean lostOnce = new AtomicBoolean();
    GroupCommit.Writer<Integer, Integer> writer = (h, batch) -> {
      h.createUpdate("INSERT INTO group_commit_rows (id, batch_size) VALUES (:id, 1)").bind("id", batch.get(0)).execute();
      if (lostOnce.compareAndSet(false, true)) {
        // What the driver reports when the database breaks a deadlock by rolling this transaction back.
        throw new UnableToExecuteStatementException(new SQLException("deadlock detected", "40P01"), null);
      }
      return List.of(batch.get(0));
    };
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", writer)) {
      assertThat(commit.submit(7)).isEqualTo(7);
    }
    assertThat(lostOnce).isTrue();
    assertThat(stored()).containsOnlyKeys(7);
  }

  @Test
  void aFailureThatAnotherAttemptWouldNotMendIsNotRetried() {
    List<Integer> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    GroupCommit.Writer<Integer, Integer> writer = (h, batch) -> {
      attempts.add(batch.get(0));
      throw new IllegalStateException("broken");
    };
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", writer)) {
      assertThatThrownBy(() -> commit.submit(5)).isInstanceOf(IllegalStateException.class).hasMessage("broken");
    }
    assertThat(attempts).containsExactly(5);
  }

  @Test
  void aWriterThatAnswersTheWrongCountLeavesNothingStored() {
    GroupCommit.Writer<Integer, Integer> writer = (h, batch) -> {
      batch.forEach(id -> h.createUpdate("INSERT INTO group_commit_rows (id, batch_size) VALUES (:id, 1)").bind("id", id).execute());
      return List.of();
    };
    try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", writer)) {
      assertThatThrownBy(() -> commit.submit(9)).isInstanceOf(IllegalStateException.class).hasMessage("0 answers to 1 requests");
    }
    assertThat(stored()).isEmpty();
  }

  @Test
  void stoppingWritesWhatWasSubmittedAndRefusesWhatComesAfter() throws Exception {
    Rows rows = new Rows();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(jdbi, "test-commit", 1, 64, id -> "one", rows);
    List<CompletableFuture<Integer>> answers = queueBehindTheFirst(commit, rows, List.of(2, 4, 6));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(commit::close);
    awaitWaiting(commit, 4); // the three, and the worker's stop mark behind them
    rows.release.countDown();
    closing.get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 4; i++) {
      assertThat(answers.get(i).join()).isEqualTo(2 * List.of(0, 2, 4, 6).get(i));
    }
    assertThat(stored()).containsOnlyKeys(0, 2, 4, 6);
    assertThatThrownBy(() -> commit.submit(8)).isInstanceOfSatisfying(RequestException.class,
        e -> assertThat(e.kind()).isEqualTo(RequestException.Kind.BUSY));
  }
}
