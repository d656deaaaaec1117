package io.myelin.core.parallel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepTeamTest {
    /** Every task of every phase runs exactly once, with its phase, and its writes are visible when run returns. */
    @Test
    void everyTaskRunsOncePerPhase() {
        int tasks = 3;
        int phases = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        int[] lastPhase = new int[tasks];
        try (StepTeam team = new StepTeam(tasks, "test-team", (phase, task) -> {
            runs.incrementAndGet(task);
            lastPhase[task] = phase;   // a plain write: run() must publish it
        })) {
            for (int p = 0; p < phases; p++) {
                team.run(p);
                for (int t = 0; t < tasks; t++) {
                    assertEquals(p + 1, runs.get(t), "runs of task " + t + " after phase " + p);
                    assertEquals(p, lastPhase[t], "phase seen by task " + t);
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheRunAndTheTeamGoesOn() {
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        try (StepTeam team = new StepTeam(2, "test-team", (phase, task) -> {
            runs.incrementAndGet(task);
            if (phase == 1 && task == 1) {
                throw new ArithmeticException("task 1 failed");
            }
        })) {
            team.run(0);
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> team.run(1));
            assertEquals("task 1 failed", e.getMessage());
            team.run(2);
            assertEquals(3, runs.get(0));
            assertEquals(3, runs.get(1));
        }
    }

    /** Members that parked after a long pause are woken by the next phase. */
    @Test
    void parkedMembersWakeUp() throws InterruptedException {
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        try (StepTeam team = new StepTeam(4, "test-team", (phase, task) -> runs.incrementAndGet(task))) {
            team.run(0);
            Thread.sleep(5 * StepTeam.SPIN_NANOS / 1_000_000 + 20);
            team.run(1);
            for (int t = 0; t < 4; t++) {
                assertEquals(2, runs.get(t));
            }
        }
    }

    /** A team that never spins parks at every wait; each phase must still wake every member and the caller. */
    @Test
    void aTeamThatNeverSpinsStillRunsEveryTask() {
        int tasks = 3;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        try (StepTeam team = new StepTeam(tasks, "test-team", (phase, task) -> runs.incrementAndGet(task), 0)) {
            for (int p = 0; p < 2_000; p++) {
                team.run(p);
                for (int t = 0; t < tasks; t++) {
                    assertEquals(p + 1, runs.get(t), "runs of task " + t + " after phase " + p);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new StepTeam(2, "test-team", (phase, task) -> { }, -1));
    }
}
